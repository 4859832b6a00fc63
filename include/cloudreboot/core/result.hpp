// cloudreboot: errors as values. errc, error and result<T>, all usable in constant expressions.
#pragma once

#include "config.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

CLOUDREBOOT_BEGIN_NAMESPACE

// What went wrong, split by who is at fault. The numbers are stable: never renumber, only add.
enum class errc : std::uint8_t {
    invalid_input = 1,       // the caller's request broke a documented rule; nothing was signed
    provider_error = 2,      // a well-formed error answer from the provider (see error::provider)
    malformed_response = 3,  // the provider's answer is not what its documentation says
    malformed_document = 4,  // JSON / XML / time text handed to a reader is not well formed
    unsupported = 5,         // valid, but not something this version can do
};

constexpr std::string_view to_string(errc code) noexcept {
    switch (code) {
        case errc::invalid_input: return "invalid_input";
        case errc::provider_error: return "provider_error";
        case errc::malformed_response: return "malformed_response";
        case errc::malformed_document: return "malformed_document";
        case errc::unsupported: return "unsupported";
    }
    return "unknown";
}

// What a caller should do about a provider error. Stable numbers, as errc.
enum class retry_advice : std::uint8_t {
    retry_with_backoff = 1,  // transient: throttling, internal error, service busy
    wait_for_state = 2,      // the instance is not in a state that allows the call yet
    fix_request = 3,         // the request itself is wrong: retrying it unchanged cannot help
    not_retryable = 4,       // permanent for this account or resource (billing, locks, permissions)
};

constexpr std::string_view to_string(retry_advice advice) noexcept {
    switch (advice) {
        case retry_advice::retry_with_backoff: return "retry_with_backoff";
        case retry_advice::wait_for_state: return "wait_for_state";
        case retry_advice::fix_request: return "fix_request";
        case retry_advice::not_retryable: return "not_retryable";
    }
    return "unknown";
}

// When the provider asked to be called again: the Retry-After header (RFC 9110 section 10.2.3)
// or a provider's own (Alibaba's x-acs-retry-after, in milliseconds). Sans-IO: a delay stays a
// delay and an HTTP-date stays an absolute time; only the caller knows when the answer arrived
// and what its clock says (core/failure.hpp milliseconds_until turns either into a wait).
struct retry_after {
    enum class kind : std::uint8_t { none = 0, delay = 1, date = 2 };
    kind given = kind::none;
    std::int64_t delay_milliseconds = 0;  // kind::delay: counted from the moment the answer arrived
    std::int64_t date_unix_seconds = 0;   // kind::date: not before this instant (POSIX seconds, UTC)
    std::string_view header;              // where it came from: "Retry-After", "x-acs-retry-after"
    constexpr bool present() const noexcept { return given != kind::none; }
    friend constexpr bool operator==(const retry_after&, const retry_after&) = default;
};

// The details of a provider's error answer (errc::provider_error). Raw values are kept exactly
// as the provider sent them; `known` says whether the code was found in the provider's table.
// An answer that failed without a code (an empty body, a gateway's HTML page, text, another
// JSON shape) has code "HTTP <status>" ("HTTP 503"), known = false, the meaning of the status,
// and a short UTF-8-safe excerpt of the body as its message (core/failure.hpp).
struct provider_failure {
    int http_status = 0;
    std::string code;        // the provider's code, verbatim ("InvalidInstanceId.NotFound"), or "HTTP 503"
    std::string message;     // the provider's message, verbatim, or an excerpt of a body without a code
    std::string request_id;  // empty when the answer carried none
    bool known = false;      // code found in the provider's error table
    std::string_view meaning;  // the table's explanation when known; the status's when there is no code
    retry_advice advice = retry_advice::not_retryable;
    struct retry_after retry_after;  // absent unless the answer carried a well-formed one
};

inline constexpr std::size_t no_offset = static_cast<std::size_t>(-1);

struct error {
    errc code = errc::invalid_input;
    std::string field;   // in the provider's own spelling: "InstanceId.101", "servers[3].id"; may be empty
    std::string rule;    // the rule that was broken: "at most 100 ids (got 101)"
    std::size_t offset = no_offset;  // byte offset into the text being read, for reader errors
    provider_failure provider;       // filled for errc::provider_error only

    // "InstanceId.101: at most 100 ids (got 101)", "JSON: unexpected end at byte 12".
    constexpr std::string message() const {
        std::string out;
        if (!field.empty()) {
            out += field;
            out += ": ";
        }
        out += rule;
        if (offset != no_offset) {
            out += " at byte ";
            out += decimal(offset);
        }
        if (code == errc::provider_error) {
            out += " [";
            out += provider.code;
            if (!provider.message.empty()) {
                out += ": ";
                out += provider.message;
            }
            out += "]";
        }
        return out;
    }

    static constexpr std::string decimal(std::size_t value) {
        std::string digits;
        do {
            digits.insert(digits.begin(), static_cast<char>('0' + value % 10));
            value /= 10;
        } while (value != 0);
        return digits;
    }
};

// Shorthands for building errors: `return invalid_input("RegionId", "must not be empty");`
// They take views and copy: GCC 12 cannot move a by-value std::string parameter in a constant
// expression, and errors are rare enough that the copy costs nothing.
constexpr error make_error(errc code, std::string_view field, std::string_view rule, std::size_t offset = no_offset) {
    error failure;
    failure.code = code;
    failure.field.assign(field.data(), field.size());
    failure.rule.assign(rule.data(), rule.size());
    failure.offset = offset;
    return failure;
}
constexpr error invalid_input(std::string_view field, std::string_view rule) {
    return make_error(errc::invalid_input, field, rule);
}
constexpr error malformed_response(std::string_view field, std::string_view rule) {
    return make_error(errc::malformed_response, field, rule);
}
constexpr error malformed_document(std::string_view what, std::string_view rule, std::size_t offset) {
    return make_error(errc::malformed_document, what, rule, offset);
}
constexpr error unsupported(std::string_view field, std::string_view rule) {
    return make_error(errc::unsupported, field, rule);
}

CLOUDREBOOT_END_NAMESPACE

#include "detail/result.hpp"

CLOUDREBOOT_BEGIN_NAMESPACE

// result<T>: a T or an error, like std::expected<T, error> (has_value, value, error, *, ->,
// value_or, and_then, transform, or_else), usable in constant expressions, never throwing.
// value() on an error and error() on a value are contract violations. The value is held in place
// (default-constructed when there is an error) and the error on the heap, so sizeof(result<T>) is
// sizeof(T) plus a pointer.
template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_reference_v<T>, "result<T&> is not supported");
    static_assert(!std::is_same_v<std::remove_cv_t<T>, struct error>, "result<error> is ambiguous");
    static_assert(std::is_default_constructible_v<T>, "result<T> needs a default-constructible T");

public:
    using value_type = T;

    constexpr result(const T& value) : value_(value) {}
    constexpr result(T&& value) : value_(std::move(value)) {}
    constexpr result(const struct error& failure) : error_(failure) {}
    constexpr result(struct error&& failure) : error_(std::move(failure)) {}
    template <class U>
        requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, result> &&
                 !std::is_same_v<std::remove_cvref_t<U>, T> && !std::is_same_v<std::remove_cvref_t<U>, struct error>)
    constexpr result(U&& value) : value_(std::forward<U>(value)) {}

    constexpr bool has_value() const noexcept { return !error_.failed(); }
    constexpr explicit operator bool() const noexcept { return has_value(); }

    constexpr T& value() & {
        CLOUDREBOOT_ASSERT(has_value(), "result::value() called on an error");
        return value_;
    }
    constexpr const T& value() const& {
        CLOUDREBOOT_ASSERT(has_value(), "result::value() called on an error");
        return value_;
    }
    constexpr T&& value() && {
        CLOUDREBOOT_ASSERT(has_value(), "result::value() called on an error");
        return std::move(value_);
    }
    constexpr const struct error& error() const& {
        CLOUDREBOOT_ASSERT(!has_value(), "result::error() called on a value");
        return error_.get();
    }
    constexpr struct error&& error() && {
        CLOUDREBOOT_ASSERT(!has_value(), "result::error() called on a value");
        return std::move(error_.get());
    }

    constexpr T* operator->() { return &value(); }
    constexpr const T* operator->() const { return &value(); }
    constexpr T& operator*() & { return value(); }
    constexpr const T& operator*() const& { return value(); }
    constexpr T&& operator*() && { return std::move(*this).value(); }

    template <class U>
    constexpr T value_or(U&& fallback) const& {
        if (has_value()) return value_;
        return static_cast<T>(std::forward<U>(fallback));
    }
    template <class U>
    constexpr T value_or(U&& fallback) && {
        if (has_value()) return std::move(value_);
        return static_cast<T>(std::forward<U>(fallback));
    }

    // f(value) -> result<U>, called only on a value; an error passes through.
    template <class F>
    constexpr auto and_then(F&& f) const& {
        using next = std::remove_cvref_t<decltype(f(value_))>;
        static_assert(detail::is_result<next>::value, "and_then: the function must return a result");
        if (!has_value()) return next(error());
        return f(value_);
    }
    template <class F>
    constexpr auto and_then(F&& f) && {
        using next = std::remove_cvref_t<decltype(f(std::move(value_)))>;
        static_assert(detail::is_result<next>::value, "and_then: the function must return a result");
        if (!has_value()) return next(std::move(*this).error());
        return f(std::move(value_));
    }
    // f(value) -> U, wrapped as result<U>; an error passes through.
    template <class F>
    constexpr auto transform(F&& f) const& {
        using next = result<std::remove_cvref_t<decltype(f(value_))>>;
        if (!has_value()) return next(error());
        return next(f(value_));
    }
    template <class F>
    constexpr auto transform(F&& f) && {
        using next = result<std::remove_cvref_t<decltype(f(std::move(value_)))>>;
        if (!has_value()) return next(std::move(*this).error());
        return next(f(std::move(value_)));
    }
    // f(error) -> result<T>, called only on an error; a value passes through.
    template <class F>
    constexpr result or_else(F&& f) const& {
        if (has_value()) return *this;
        return f(error());
    }
    template <class F>
    constexpr result or_else(F&& f) && {
        if (has_value()) return std::move(*this);
        return f(std::move(*this).error());
    }

private:
    T value_{};
    detail::held_error error_;
};

// result<void>: success or an error (validation functions). A success is a null pointer.
template <>
class [[nodiscard]] result<void> {
public:
    using value_type = void;
    constexpr result() = default;
    constexpr result(const struct error& failure) : error_(failure) {}
    constexpr result(struct error&& failure) : error_(std::move(failure)) {}

    constexpr bool has_value() const noexcept { return !error_.failed(); }
    constexpr explicit operator bool() const noexcept { return has_value(); }
    constexpr void value() const { CLOUDREBOOT_ASSERT(has_value(), "result::value() called on an error"); }
    constexpr const struct error& error() const& {
        CLOUDREBOOT_ASSERT(!has_value(), "result::error() called on a value");
        return error_.get();
    }
    constexpr struct error&& error() && {
        CLOUDREBOOT_ASSERT(!has_value(), "result::error() called on a value");
        return std::move(error_.get());
    }

    // f() -> result<U>, called only on success.
    template <class F>
    constexpr auto and_then(F&& f) const& {
        using next = std::remove_cvref_t<decltype(f())>;
        static_assert(detail::is_result<next>::value, "and_then: the function must return a result");
        if (!has_value()) return next(error());
        return f();
    }
    // f() -> U, wrapped as result<U>.
    template <class F>
    constexpr auto transform(F&& f) const& {
        using next = result<std::remove_cvref_t<decltype(f())>>;
        if (!has_value()) return next(error());
        if constexpr (std::is_void_v<std::remove_cvref_t<decltype(f())>>) {
            f();
            return next();
        } else {
            return next(f());
        }
    }
    // f(error) -> result<void>, called only on an error.
    template <class F>
    constexpr result or_else(F&& f) const& {
        if (has_value()) return *this;
        return f(error());
    }

private:
    detail::held_error error_;
};

CLOUDREBOOT_END_NAMESPACE
