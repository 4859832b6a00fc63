// The provider registry: one list, and everything derived from it agrees with it.
#include <cloudreboot/cloudreboot.hpp>

#include <doctest/doctest.h>

#include <concepts>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>

namespace cr = cloudreboot;

TEST_CASE("provider registry: names round-trip, are distinct, and every error lists them all") {
    std::set<std::string> seen;
    for (cr::provider p : cr::all_providers) {
        const std::string name(cr::to_string(p));
        CHECK_FALSE(name.empty());
        CHECK(seen.insert(name).second);
        auto parsed = cr::parse_provider(name);
        REQUIRE(parsed);
        CHECK(*parsed == p);
        CHECK(cr::provider_names.find(name) != std::string_view::npos);
    }
    auto refused = cr::parse_provider("azure", "groups[0].provider");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "groups[0].provider");
    CHECK(refused.error().rule == "must be " + std::string(cr::provider_names));
    CHECK(cr::provider_names == "alibaba, tencent, huawei or baidu");
}

// Each registered provider's folder says which entry it is (the umbrella header checks the same).
#define CHECK_REGISTERED(name) static_assert(cr::name::registered_as == cr::provider::name);
CLOUDREBOOT_PROVIDERS(CHECK_REGISTERED)
#undef CHECK_REGISTERED

// "One name per role" (docs/conventions.md), checked by the compiler: every registered provider
// has each role of the naming table under its one name, with the same shape. A provider that
// renames a role or changes its shape fails here, naming the provider and the role. Left out on
// purpose: validate_instance_ids (Baidu reboots one id per request, so it has no id list).
namespace shape {
template <typename Table>
using row_of = typename std::remove_cvref_t<Table>::value_type;
}  // namespace shape

#define CHECK_SHAPE(p)                                                                                              \
    static_assert(requires(std::string_view text) {                                                                 \
        { cr::p::validate_region(text) } -> std::same_as<cr::result<void>>;                                          \
    }, #p ": validate_region(text) -> result<void>");                                                               \
    static_assert(requires(std::string_view text) {                                                                 \
        { cr::p::validate_instance_id(text) } -> std::same_as<cr::result<void>>;                                     \
    }, #p ": validate_instance_id(text) -> result<void>");                                                          \
    static_assert(requires(std::string_view text) {                                                                 \
        { cr::p::default_endpoint(text) } -> std::same_as<cr::result<cr::endpoint>>;                                 \
    }, #p ": default_endpoint(region) -> result<endpoint>");                                                        \
    static_assert(requires(const cr::http_response& response) {                                                     \
        { cr::p::parse_error(response) } -> std::same_as<cr::error>;                                                 \
    }, #p ": parse_error(response) -> error");                                                                      \
    static_assert(std::same_as<shape::row_of<decltype(cr::p::error_table)>, cr::error_entry> &&                     \
                  std::same_as<cr::p::error_entry, cr::error_entry>,                                                 \
                  #p ": error_table of error_entry (core/errors.hpp)");                                             \
    static_assert(requires(std::string_view code) {                                                                 \
        { cr::p::find(code) } -> std::same_as<const cr::error_entry*>;                                               \
        { cr::p::is_known(code) } -> std::same_as<bool>;                                                             \
    }, #p ": find(code) -> const error_entry*, is_known(code) -> bool");                                            \
    static_assert(std::is_enum_v<cr::p::instance_state>, #p ": enum class instance_state");                         \
    static_assert(requires(cr::p::instance_state state, std::string_view text) {                                    \
        { to_string(state) } -> std::same_as<std::string_view>;                                                      \
        { cr::p::parse_instance_state(text) } -> std::same_as<cr::result<cr::p::instance_state>>;                    \
    }, #p ": to_string(instance_state), parse_instance_state(text) -> result<instance_state>");                     \
    static_assert(std::same_as<shape::row_of<decltype(cr::p::instance_states)>, cr::state_info<cr::p::instance_state>> && \
                  std::same_as<cr::p::instance_state_info, cr::state_info<cr::p::instance_state>>,                   \
                  #p ": instance_states of instance_state_info = state_info<instance_state> (core/states.hpp)");     \
    static_assert(std::same_as<shape::row_of<decltype(cr::p::state_transitions)>, cr::p::state_transition> &&       \
                  std::same_as<cr::p::state_transition::state_type, cr::p::instance_state> &&                        \
                  std::same_as<cr::p::state_transition,                                                              \
                               cr::state_transition<cr::p::instance_state, cr::p::state_transition::cause_type>>,    \
                  #p ": state_transitions of state_transition = state_transition<instance_state, cause>");           \
    static_assert(requires(cr::p::instance_state state) {                                                           \
        { cr::p::is_transitional(state) } -> std::same_as<bool>;                                                     \
        { cr::p::can_transition(state, state) } -> std::same_as<bool>;                                               \
        { cr::p::can_reboot(state) } -> std::same_as<bool>;                                                          \
        { cr::p::reboot_refusal_code(state) } -> std::same_as<std::string_view>;                                     \
        { cr::p::progress_of(state) } -> std::same_as<cr::reboot_progress>;                                          \
    }, #p ": is_transitional, can_transition, can_reboot, reboot_refusal_code, progress_of(state)");                \
    static_assert(requires(const cr::environment& env) {                                                            \
        { cr::p::from_environment(env) } -> std::same_as<cr::result<std::optional<cr::loaded_credentials>>>;        \
        { cr::p::default_chain(env) } -> std::same_as<cr::credential_chain>;                                         \
    }, #p ": from_environment(env), default_chain(env)");                                                           \
    static_assert(std::is_enum_v<cr::p::scheme> &&                                                                 \
                  std::same_as<decltype(cr::p::signing_options{}.scheme), cr::p::scheme>,                            \
                  #p ": enum class scheme, signing_options::scheme");                                               \
    static_assert(std::constructible_from<cr::p::signer, const cr::credentials&> &&                                 \
                  std::is_class_v<cr::p::signed_request_with_stages>,                                                \
                  #p ": signer{creds}, signed_request_with_stages");                                                \
    static_assert(std::same_as<decltype(cr::p::registered_as), const cr::provider>, #p ": registered_as");
CLOUDREBOOT_PROVIDERS(CHECK_SHAPE)
#undef CHECK_SHAPE
