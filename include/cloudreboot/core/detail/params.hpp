// cloudreboot: how operations hand their parameters to the signers without copying them, and
// the string builders the signers share.
//
//   param_list   an operation's action parameters as views into the operation: a few named values
//                and at most one list sent as Name.<i>; visited in the SDKs' order or in canonical
//                (byte) order without sorting copies, because the order of Name.1 .. Name.N is known.
//   concat       a string made of pieces, allocated once.
//   exact_sink   a sink that fills a string already sized to its final length.
#pragma once

#include "../config.hpp"
#include "../http.hpp"
#include "../text.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace detail {

// A new string holding the pieces one after the other: one allocation at most.
constexpr std::string concat(std::initializer_list<std::string_view> pieces) {
    std::size_t size = 0;
    for (const std::string_view piece : pieces) size += piece.size();
    std::string out;
    out.reserve(size);
    for (const std::string_view piece : pieces) out.append(piece.data(), piece.size());
    return out;
}

// ---------------------------------------------------------------------------------------------
// param_list

struct param_view {
    std::string_view name;
    std::string_view value;
};

// An operation's parameters, viewing the operation's own strings: `scalars` in the order the
// SDKs send them, and at most one list (`Name.<first>`, `Name.<first+1>`, ...) sent after the
// first `list_at` scalars. Numbers are kept as text inside the list, so it is not copyable.
class param_list {
public:
    static constexpr std::size_t max_scalars = 24;

    constexpr param_list() = default;
    param_list(const param_list&) = delete;
    param_list& operator=(const param_list&) = delete;

    constexpr void add(std::string_view name, std::string_view value) noexcept {
        CLOUDREBOOT_ASSERT(count_ < max_scalars, "param_list: too many parameters");
        scalars_[count_++] = param_view{name, value};
    }
    constexpr void add_number(std::string_view name, std::int64_t value) noexcept {
        CLOUDREBOOT_ASSERT(numbers_used_ < max_numbers, "param_list: too many numbers");
        numbers_[numbers_used_] = text::decimal_text(value);
        add(name, numbers_[numbers_used_++].view());
    }
    // The list goes after the scalars added so far.
    constexpr void set_list(std::string_view name, std::span<const std::string> items, std::size_t first_index) noexcept {
        list_name_ = name;
        list_ = items;
        first_index_ = first_index;
        list_at_ = count_;
    }

    constexpr std::span<const param_view> scalars() const noexcept { return {scalars_.data(), count_}; }
    constexpr std::string_view list_name() const noexcept { return list_name_; }
    constexpr std::span<const std::string> list() const noexcept { return list_; }
    constexpr std::size_t first_index() const noexcept { return first_index_; }
    constexpr std::size_t list_at() const noexcept { return list_at_; }
    constexpr std::size_t size() const noexcept { return count_ + list_.size(); }

    // Visits (name, index or npos, value) in the SDKs' order.
    template <class Visit>
    constexpr void for_each(Visit&& visit) const {
        for (std::size_t i = 0; i <= count_; ++i) {
            if (i == list_at_)
                for (std::size_t k = 0; k < list_.size(); ++k) visit(list_name_, first_index_ + k, std::string_view(list_[k]));
            if (i < count_) visit(scalars_[i].name, no_index, scalars_[i].value);
        }
    }

    // Visits (name, index or npos, value) in canonical order: by name in byte order, then by
    // value. Names here are plain ASCII, so their encoded and raw orders agree. The list's
    // names all start with `Name.`; their order is that of the decimal spellings of the
    // indices (1, 10, 100, 11, ..., 19, 2, 20, ...), generated rather than sorted.
    template <class Visit>
    constexpr void for_each_sorted(Visit&& visit) const {
        std::array<std::uint8_t, max_scalars> order{};
        for (std::size_t i = 0; i < count_; ++i) order[i] = static_cast<std::uint8_t>(i);
        // Insertion sort: a dozen names at most.
        for (std::size_t i = 1; i < count_; ++i) {
            const std::uint8_t moving = order[i];
            std::size_t j = i;
            while (j > 0 && less(scalars_[moving], scalars_[order[j - 1]])) {
                order[j] = order[j - 1];
                --j;
            }
            order[j] = moving;
        }
        std::size_t next = 0;
        if (!list_.empty()) {
            while (next < count_ && before_list(scalars_[order[next]].name)) {
                visit(scalars_[order[next]].name, no_index, scalars_[order[next]].value);
                ++next;
            }
            for_each_index_in_text_order(first_index_, first_index_ + list_.size() - 1, [&](std::size_t index) {
                visit(list_name_, index, std::string_view(list_[index - first_index_]));
            });
        }
        for (; next < count_; ++next) visit(scalars_[order[next]].name, no_index, scalars_[order[next]].value);
    }

    static constexpr std::size_t no_index = static_cast<std::size_t>(-1);

    // The parameters as fields in the SDKs' order: names with their index (`InstanceId.3`), raw values.
    constexpr std::vector<field> to_fields() const;

    // Visits first..last (first is 0 or 1) in the byte order of their decimal spellings.
    template <class Visit>
    static constexpr void for_each_index_in_text_order(std::size_t first, std::size_t last, Visit&& visit) {
        if (first == 0) {
            visit(std::size_t{0});
            first = 1;
        }
        if (last < first) return;
        std::size_t index = 1;
        std::size_t visited = 0;
        while (visited < last) {
            if (index >= first) visit(index);
            ++visited;
            if (index <= last / 10) {
                index *= 10;
            } else {
                while (index % 10 == 9 || index + 1 > last) index /= 10;
                ++index;
            }
        }
    }

private:
    static constexpr std::size_t max_numbers = 4;

    static constexpr bool less(const param_view& a, const param_view& b) noexcept {
        // Names nearly always differ in their first byte.
        if (!a.name.empty() && !b.name.empty() && a.name[0] != b.name[0])
            return static_cast<unsigned char>(a.name[0]) < static_cast<unsigned char>(b.name[0]);
        if (a.name != b.name) return a.name < b.name;
        return a.value < b.value;
    }
    // A scalar name sorts before every `Name.<i>` when it is below "Name." (scalars never start
    // with "Name." themselves).
    constexpr bool before_list(std::string_view scalar) const noexcept {
        const std::size_t common = scalar.size() < list_name_.size() ? scalar.size() : list_name_.size();
        const int head = scalar.substr(0, common).compare(list_name_.substr(0, common));
        if (head != 0) return head < 0;
        if (scalar.size() <= list_name_.size()) return true;  // a prefix of "Name." sorts first
        return static_cast<unsigned char>(scalar[list_name_.size()]) < static_cast<unsigned char>('.');
    }

    std::array<param_view, max_scalars> scalars_{};
    std::size_t count_ = 0;
    std::string_view list_name_ = {};
    std::span<const std::string> list_ = {};
    std::size_t first_index_ = 1;
    std::size_t list_at_ = 0;
    std::array<text::fixed_text<20>, max_numbers> numbers_{};
    std::size_t numbers_used_ = 0;
};

// `Name.7` written into a small fixed buffer.
struct indexed_name {
    static constexpr std::size_t max_name = 40;
    char text[max_name + 21];
    std::size_t size = 0;
    constexpr indexed_name(std::string_view name, std::size_t index) noexcept {
        CLOUDREBOOT_ASSERT(name.size() <= max_name, "indexed_name: parameter names are short");
        for (const char c : name) text[size++] = c;
        if (index == param_list::no_index) return;
        text[size++] = '.';
        char reversed[20];
        std::size_t count = 0;
        do {
            reversed[count++] = static_cast<char>('0' + index % 10);
            index /= 10;
        } while (index != 0);
        while (count != 0) text[size++] = reversed[--count];
    }
    constexpr std::string_view view() const noexcept { return {text, size}; }
};

constexpr std::vector<field> param_list::to_fields() const {
    std::vector<field> out;
    out.reserve(size());
    for_each([&out](std::string_view name, std::size_t index, std::string_view value) {
        field item;
        item.name = std::string(indexed_name(name, index).view());
        item.value.assign(value.data(), value.size());
        out.push_back(std::move(item));
    });
    return out;
}

// ---------------------------------------------------------------------------------------------
// exact_sink
//
// Fills a string already resized to its final length through a pointer: many short pieces cost
// a copy each, without the capacity check and size update of every append. Writing past the
// end is a contract violation, never a silent overflow.
class exact_sink {
public:
    // Writes from out[from] up to out.size().
    constexpr explicit exact_sink(std::string& out, std::size_t from = 0) noexcept
        : at_(out.data() + from), end_(out.data() + out.size()) {}

    constexpr exact_sink& append(std::string_view text) noexcept {
        CLOUDREBOOT_ASSERT(text.size() <= remaining(), "exact_sink: the string was sized too small");
        if (std::is_constant_evaluated()) {
            for (const char c : text) *at_++ = c;
        } else {
            std::char_traits<char>::copy(at_, text.data(), text.size());
            at_ += text.size();
        }
        return *this;
    }
    constexpr exact_sink& append(char c) noexcept {
        CLOUDREBOOT_ASSERT(remaining() != 0, "exact_sink: the string was sized too small");
        *at_++ = c;
        return *this;
    }
    constexpr std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - at_); }

private:
    char* at_;
    char* end_;
};

}  // namespace detail
CLOUDREBOOT_END_NAMESPACE
