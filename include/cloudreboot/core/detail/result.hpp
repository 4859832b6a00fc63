// cloudreboot / core / detail: the heap-held error behind result<T>, and the is_result trait. Not API:
// nothing here is stable.
//
// ../result.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../result.hpp"

#ifndef CLOUDREBOOT_CORE_DETAIL_RESULT_HPP
#define CLOUDREBOOT_CORE_DETAIL_RESULT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

// The error of a failed result, on the heap: errors are rare, so a result is the size of its value
// plus a pointer, and a success (a validation's `return {};`) builds no error at all. A plain
// new/delete works in constant expressions too, where the error must be freed before the
// evaluation ends (it is: results are destroyed with the scope that made them).
class held_error {
public:
    constexpr held_error() noexcept = default;
    constexpr explicit held_error(const struct error& failure) : error_(new struct error(failure)) {}
    constexpr explicit held_error(struct error&& failure) : error_(new struct error(std::move(failure))) {}
    constexpr held_error(const held_error& other) : error_(other.error_ ? new struct error(*other.error_) : nullptr) {}
    constexpr held_error(held_error&& other) noexcept : error_(other.error_) { other.error_ = nullptr; }
    constexpr held_error& operator=(const held_error& other) {
        if (this != &other) {
            struct error* copy = other.error_ ? new struct error(*other.error_) : nullptr;
            delete error_;
            error_ = copy;
        }
        return *this;
    }
    constexpr held_error& operator=(held_error&& other) noexcept {
        if (this != &other) {
            delete error_;
            error_ = other.error_;
            other.error_ = nullptr;
        }
        return *this;
    }
    constexpr ~held_error() { delete error_; }

    constexpr bool failed() const noexcept { return error_ != nullptr; }
    constexpr struct error& get() const noexcept { return *error_; }

private:
    struct error* error_ = nullptr;
};

template <class R>
struct is_result : std::false_type {};

}  // namespace detail

// Declared here for is_result; ../result.hpp defines it after this header.
template <class T>
class result;

namespace detail {
template <class T>
struct is_result<result<T>> : std::true_type {};
}  // namespace detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_CORE_DETAIL_RESULT_HPP
