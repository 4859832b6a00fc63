// The one shape of the state tables and the functions over them, here and in every provider.
#include <cloudreboot/core/states.hpp>

#include <cloudreboot/cloudreboot.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cr = cloudreboot;

namespace {

enum class light : std::uint8_t { off, warming, on };

constexpr std::array<cr::state_info<light>, 3> lights{{
    {light::off, "Off", "dark", false},
    {light::warming, "Warming", "getting bright", true},
    {light::on, "On", "bright", false},
}};
constexpr std::array<cr::state_transition<light>, 2> switches{{
    {light::off, light::warming, "switched on"},
    {light::warming, light::on, "warm"},
}};

static_assert(cr::detail::state_name(lights, light::warming) == "Warming");
static_assert(cr::detail::state_name(lights, static_cast<light>(9)).empty());  // outside the enum: no row
static_assert(cr::detail::state_is_transitional(lights, light::warming));
static_assert(!cr::detail::state_is_transitional(lights, light::on));
static_assert(!cr::detail::state_is_transitional(lights, static_cast<light>(9)));
static_assert(cr::detail::state_index_named(lights, "on") == cr::detail::no_state);  // case-sensitive
static_assert(*cr::detail::parse_state(lights, "On", "light", "is not a light") == light::on);
static_assert(cr::detail::has_transition(switches, light::off, light::warming));
static_assert(!cr::detail::has_transition(switches, light::warming, light::off));  // one way only

TEST_CASE("core states: a name no row has is an error naming the caller's field and rule") {
    auto refused = cr::detail::parse_state(lights, "Dim", "light.status", "is not a light");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == cr::errc::malformed_response);
    CHECK(refused.error().field == "light.status");
    CHECK(refused.error().rule == "is not a light");
}

// Every provider's one-line functions agree with its tables, over every state and every pair.
template <typename State, typename States, typename Transitions, typename Functions>
void check_provider(const States& states, const Transitions& transitions, Functions f) {
    for (const auto& row : states) {
        CAPTURE(row.name);
        CHECK(f.name(row.state) == row.name);
        CHECK(f.transitional(row.state) == row.transitional);
        auto parsed = f.parse(row.name);
        REQUIRE(parsed);
        CHECK(*parsed == row.state);
        std::string lowered(row.name);
        lowered.back() = static_cast<char>(lowered.back() ^ 0x20);  // one letter's case changed
        CHECK_FALSE(f.parse(lowered));
        for (const auto& other : states) {
            bool listed = false;
            for (const auto& move : transitions) listed = listed || (move.from == row.state && move.to == other.state);
            CHECK(f.can_transition(row.state, other.state) == listed);
        }
    }
    CHECK(f.name(static_cast<State>(200)).empty());
    CHECK_FALSE(f.transitional(static_cast<State>(200)));
}

}  // namespace

TEST_CASE("core states: every provider's state functions agree with its tables") {
#define CHECK_PROVIDER_STATES(p)                                                                              \
    SUBCASE(#p) {                                                                                             \
        struct functions {                                                                                    \
            static std::string_view name(cr::p::instance_state s) { return cr::p::to_string(s); }            \
            static bool transitional(cr::p::instance_state s) { return cr::p::is_transitional(s); }          \
            static auto parse(std::string_view text) { return cr::p::parse_instance_state(text); }           \
            static bool can_transition(cr::p::instance_state a, cr::p::instance_state b) {                   \
                return cr::p::can_transition(a, b);                                                           \
            }                                                                                                 \
        };                                                                                                    \
        check_provider<cr::p::instance_state>(cr::p::instance_states, cr::p::state_transitions, functions{}); \
    }
    CLOUDREBOOT_PROVIDERS(CHECK_PROVIDER_STATES)
#undef CHECK_PROVIDER_STATES
}

TEST_CASE("core states: Huawei's job table goes through the same lookups") {
    namespace hw = cr::huawei;
    for (const hw::job_state_info& row : hw::job_states) {
        CAPTURE(row.name);
        CHECK(hw::to_string(row.state) == row.name);
        CHECK(hw::is_terminal(row.state) == row.terminal);
        auto parsed = hw::parse_job_state(row.name);
        REQUIRE(parsed);
        CHECK(*parsed == row.state);
    }
    CHECK(hw::to_string(static_cast<hw::job_state>(200)).empty());
    CHECK_FALSE(hw::is_terminal(static_cast<hw::job_state>(200)));
    CHECK_FALSE(hw::parse_job_state("SUCCEEDED"));
}
