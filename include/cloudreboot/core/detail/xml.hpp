// cloudreboot / core / detail: the XML reader: character classes and the parser behind xml::read. Not API:
// nothing here is stable.
//
// ../xml.hpp includes this file after the public declarations it uses and before the public
// functions that use it. Included first, it includes that header, which then includes it back:
// hence the include before the guard, and the guard in place of #pragma once.
#include "../xml.hpp"

#ifndef CLOUDREBOOT_CORE_DETAIL_XML_HPP
#define CLOUDREBOOT_CORE_DETAIL_XML_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace xml::detail {

constexpr unsigned byte_of(char c) noexcept { return static_cast<unsigned char>(c); }
constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
constexpr bool is_name_start(char c) noexcept {
    return text::is_alpha(c) || c == '_' || c == ':' || byte_of(c) >= 0x80;
}
constexpr bool is_name_char(char c) noexcept {
    return is_name_start(c) || text::is_digit(c) || c == '-' || c == '.';
}

// Code points XML 1.0 allows in a document (production [2] Char).
constexpr bool is_xml_char(std::uint32_t cp) noexcept {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

// The length (1 to 4) of the character at `pos` when it is well-formed UTF-8 and an XML Char,
// else 0. Overlong forms, surrogates, values above U+10FFFF, U+FFFE/U+FFFF and the C0 controls
// other than tab, line feed and carriage return all give 0.
constexpr std::size_t xml_char_length(std::string_view text, std::size_t pos) noexcept {
    const std::size_t n = text.size();
    const unsigned lead = byte_of(text[pos]);
    auto continuation = [&](std::size_t at) { return at < n && (byte_of(text[at]) & 0xC0) == 0x80; };
    auto bits = [&](std::size_t at) { return static_cast<std::uint32_t>(byte_of(text[at]) & 0x3F); };
    std::uint32_t cp = 0;
    std::size_t length = 0;
    if (lead < 0x80) {
        cp = lead;
        length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        if (!continuation(pos + 1)) return 0;
        cp = ((lead & 0x1Fu) << 6) | bits(pos + 1);
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        if (!continuation(pos + 1) || !continuation(pos + 2)) return 0;
        cp = ((lead & 0x0Fu) << 12) | (bits(pos + 1) << 6) | bits(pos + 2);
        if (cp < 0x800) return 0;  // overlong
        length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        if (!continuation(pos + 1) || !continuation(pos + 2) || !continuation(pos + 3)) return 0;
        cp = ((lead & 0x07u) << 18) | (bits(pos + 1) << 12) | (bits(pos + 2) << 6) | bits(pos + 3);
        if (cp < 0x10000) return 0;  // overlong
        length = 4;
    } else {
        return 0;
    }
    return is_xml_char(cp) ? length : 0;
}

class parser {
public:
    constexpr parser(std::string_view text, const parse_options& options) noexcept : text_(text), options_(options) {}

    constexpr result<element> run() {
        if (text_.size() > options_.max_size) return cloudreboot::detail::document_too_large(options_.max_size);
        // One pass first for the character level: every later step may then assume valid UTF-8
        // made of XML characters only.
        for (std::size_t i = 0; i < text_.size();) {
            const std::size_t length = xml_char_length(text_, i);
            if (length == 0) {
                return fail(byte_of(text_[i]) < 0x80 ? "control character not allowed in XML"
                                                     : "invalid UTF-8 or a character not allowed in XML",
                            i);
            }
            i += length;
        }
        pos_ = byte_order_mark_size(text_);
        const std::size_t declaration_at = pos_;

        const std::size_t n = text_.size();
        while (pos_ < n) {
            if (text_[pos_] != '<') {
                if (!read_text()) return std::move(error_);
                continue;
            }
            bool ok = true;
            if (starts_with("<!--")) ok = skip_comment();
            else if (starts_with("<![CDATA[")) ok = read_cdata();
            else if (starts_with("<!DOCTYPE")) ok = set_error("DOCTYPE is not supported (no DTDs or entity declarations)", pos_);
            else if (starts_with("<!")) ok = set_error("unknown markup declaration after '<!'", pos_);
            else if (starts_with("<?")) ok = skip_processing_instruction(pos_ == declaration_at);
            else if (starts_with("</")) ok = read_end_tag();
            else ok = read_start_tag();
            if (!ok) return std::move(error_);
        }
        if (!open_.empty()) {
            std::string rule = "unexpected end of document inside <";
            rule += open_.back()->name;
            rule += '>';
            return malformed_document("XML", rule, n);
        }
        if (!have_root_) return fail("missing root element", n);
        return std::move(root_);
    }

private:
    constexpr error fail(std::string_view rule, std::size_t offset) const {
        return malformed_document("XML", rule, offset);
    }
    constexpr bool set_error(std::string_view rule, std::size_t offset) {
        error_ = malformed_document("XML", rule, offset);
        return false;
    }

    constexpr bool starts_with(std::string_view s) const noexcept { return text_.substr(pos_).starts_with(s); }
    constexpr bool at_end() const noexcept { return pos_ >= text_.size(); }
    constexpr void skip_space() noexcept {
        while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    }

    // Reads a name at pos_; false (no error set) when no name starts there.
    constexpr bool read_name(std::string_view& name) noexcept {
        const std::size_t start = pos_;
        if (at_end() || !is_name_start(text_[pos_])) return false;
        while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
        name = text_.substr(start, pos_ - start);
        return true;
    }

    // Appends `raw` with XML's line-end normalisation: "\r\n" and a lone '\r' become '\n'.
    static constexpr void append_normalized(std::string& out, std::string_view raw) {
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '\r') {
                out.push_back(raw[i]);
                continue;
            }
            out.push_back('\n');
            if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
        }
    }

    // pos_ is at '&': decodes one entity or character reference into `out`.
    constexpr bool read_reference(std::string& out) {
        const std::size_t start = pos_;
        const std::size_t n = text_.size();
        ++pos_;
        if (pos_ < n && text_[pos_] == '#') {
            ++pos_;
            const bool hex = pos_ < n && text_[pos_] == 'x';
            if (hex) ++pos_;
            const std::size_t digits_start = pos_;
            std::uint32_t cp = 0;
            bool too_large = false;
            for (; pos_ < n; ++pos_) {
                const char c = text_[pos_];
                std::uint32_t digit = 0;
                if (text::is_digit(c)) digit = static_cast<std::uint32_t>(c - '0');
                else if (hex && c >= 'a' && c <= 'f') digit = static_cast<std::uint32_t>(c - 'a' + 10);
                else if (hex && c >= 'A' && c <= 'F') digit = static_cast<std::uint32_t>(c - 'A' + 10);
                else break;
                // Keep reading digits after the value is known to be too large, without overflow.
                if (!too_large) {
                    cp = cp * (hex ? 16u : 10u) + digit;
                    if (cp > 0x10FFFF) too_large = true;
                }
            }
            if (pos_ == digits_start)
                return set_error(hex ? "expected hex digits in a character reference"
                                     : "expected digits in a character reference",
                                 pos_);
            if (pos_ >= n || text_[pos_] != ';') return set_error("expected ';' to end a character reference", pos_);
            if (too_large || !is_xml_char(cp))
                return set_error("character reference to a code point not allowed in XML", start);
            ++pos_;
            text::append_utf8(out, cp);
            return true;
        }
        std::string_view name;
        if (!read_name(name)) return set_error("expected an entity name or '#' after '&'", pos_);
        if (pos_ >= n || text_[pos_] != ';') return set_error("expected ';' to end an entity reference", pos_);
        ++pos_;
        if (name == "lt") out.push_back('<');
        else if (name == "gt") out.push_back('>');
        else if (name == "amp") out.push_back('&');
        else if (name == "quot") out.push_back('"');
        else if (name == "apos") out.push_back('\'');
        else {
            std::string rule = "unknown entity '&";
            rule.append(name.data(), name.size());
            rule += ";' (only lt, gt, amp, quot and apos exist without a DTD)";
            return set_error(rule, start);
        }
        return true;
    }

    // Character data up to the next '<' (or the end).
    constexpr bool read_text() {
        const std::size_t n = text_.size();
        if (open_.empty()) {
            // Outside the root only whitespace may stand between markup.
            skip_space();
            if (pos_ < n && text_[pos_] != '<')
                return set_error(have_root_ ? "text after the root element" : "text before the root element", pos_);
            return true;
        }
        std::string& out = open_.back()->text;
        std::size_t run = pos_;
        while (pos_ < n && text_[pos_] != '<') {
            const char c = text_[pos_];
            if (c == '&') {
                append_normalized(out, text_.substr(run, pos_ - run));
                if (!read_reference(out)) return false;
                run = pos_;
            } else if (c == '>' && pos_ >= 2 && text_[pos_ - 1] == ']' && text_[pos_ - 2] == ']' && pos_ - 2 >= run) {
                return set_error("']]>' is not allowed in character data", pos_ - 2);
            } else {
                ++pos_;
            }
        }
        append_normalized(out, text_.substr(run, pos_ - run));
        return true;
    }

    constexpr bool skip_comment() {
        const std::size_t start = pos_;
        const std::size_t close = text_.find("--", pos_ + 4);
        if (close == std::string_view::npos) return set_error("unterminated comment", start);
        if (close + 2 >= text_.size() || text_[close + 2] != '>')
            return set_error(close + 2 >= text_.size() ? "unterminated comment" : "'--' is not allowed inside a comment",
                             close + 2 >= text_.size() ? start : close);
        pos_ = close + 3;
        return true;
    }

    constexpr bool read_cdata() {
        const std::size_t start = pos_;
        if (open_.empty()) return set_error("CDATA section outside the root element", start);
        const std::size_t content = pos_ + 9;
        const std::size_t close = text_.find("]]>", content);
        if (close == std::string_view::npos) return set_error("unterminated CDATA section", start);
        append_normalized(open_.back()->text, text_.substr(content, close - content));
        pos_ = close + 3;
        return true;
    }

    // pos_ is at "<?". The declaration (target "xml" in any case) is only allowed as the very
    // first thing; every other processing instruction is skipped wherever it stands.
    constexpr bool skip_processing_instruction(bool declaration_allowed) {
        const std::size_t start = pos_;
        pos_ += 2;
        std::string_view target;
        if (!read_name(target)) return set_error("expected a processing instruction target after '<?'", pos_);
        if (text::iequals(target, "xml") && !declaration_allowed)
            return set_error("the XML declaration is only allowed at the start of the document", start);
        if (!at_end() && !is_space(text_[pos_]) && !starts_with("?>"))
            return set_error("expected whitespace or '?>' after a processing instruction target", pos_);
        const std::size_t close = text_.find("?>", pos_);
        if (close == std::string_view::npos)
            return set_error(declaration_allowed ? "unterminated XML declaration" : "unterminated processing instruction",
                             start);
        pos_ = close + 2;
        return true;
    }

    // pos_ is at the quote that opens an attribute value.
    constexpr bool read_attribute_value(std::string& out) {
        const std::size_t start = pos_;
        const char quote = text_[pos_];
        const std::size_t n = text_.size();
        ++pos_;
        while (pos_ < n && text_[pos_] != quote) {
            const char c = text_[pos_];
            if (c == '<') return set_error("'<' is not allowed in an attribute value", pos_);
            if (c == '&') {
                if (!read_reference(out)) return false;
                continue;
            }
            if (c == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n') ++pos_;  // one line end, one space
            out.push_back(is_space(c) ? ' ' : c);
            ++pos_;
        }
        if (pos_ >= n) return set_error("unterminated attribute value", start);
        ++pos_;
        return true;
    }

    constexpr bool read_start_tag() {
        const std::size_t start = pos_;
        if (open_.empty() && have_root_) return set_error("more than one root element", start);
        if (open_.size() >= options_.max_depth) {
            std::string rule = "elements nested deeper than max_depth (";
            text::append_decimal(rule, static_cast<std::int64_t>(options_.max_depth));
            rule += ')';
            return set_error(rule, start);
        }
        ++pos_;
        std::string_view name;
        if (!read_name(name)) return set_error("expected an element name after '<'", pos_);
        element& opened = place_new();
        opened.name.assign(name.data(), name.size());
        attribute_names_.clear();
        for (;;) {
            const std::size_t before_space = pos_;
            skip_space();
            if (at_end()) return set_error("unterminated start tag", start);
            const bool ends_open = text_[pos_] == '>';
            if (ends_open || starts_with("/>")) {
                if (!unique_attributes()) return false;
                pos_ += ends_open ? 1 : 2;
                if (ends_open) open_.push_back(&opened);
                return true;
            }
            if (pos_ == before_space) return set_error("expected whitespace, '>' or '/>' in a start tag", pos_);
            std::string_view attribute_name;
            if (!read_name(attribute_name)) return set_error("expected an attribute name", pos_);
            attribute_names_.push_back(attribute_name);
            skip_space();
            if (at_end() || text_[pos_] != '=') return set_error("expected '=' after an attribute name", pos_);
            ++pos_;
            skip_space();
            if (at_end() || (text_[pos_] != '"' && text_[pos_] != '\''))
                return set_error("expected a quoted attribute value", pos_);
            attribute parsed{.name = std::string(attribute_name), .value = {}};
            if (!read_attribute_value(parsed.value)) return false;
            opened.attributes.push_back(std::move(parsed));
        }
    }

    // Once the tag is complete. The error names the earliest attribute whose name was already
    // used, as a scan in document order would, at the offset of that name.
    constexpr bool unique_attributes() {
        const std::uint32_t repeat = repeats_.first_repeat(attribute_names_);
        if (repeat == cloudreboot::detail::repeat_finder::npos) return true;
        const std::string_view name = attribute_names_[repeat];
        std::string rule = "duplicate attribute '";
        cloudreboot::detail::append_name_excerpt(rule, name);
        rule += '\'';
        return set_error(rule, static_cast<std::size_t>(name.data() - text_.data()));
    }

    constexpr bool read_end_tag() {
        const std::size_t start = pos_;
        pos_ += 2;
        std::string_view name;
        if (!read_name(name)) return set_error("expected an element name after '</'", pos_);
        skip_space();
        if (at_end() || text_[pos_] != '>') return set_error("expected '>' to end an end tag", pos_);
        if (open_.empty()) return set_error("end tag without a matching start tag", start);
        if (open_.back()->name != name) {
            std::string rule = "end tag </";
            rule.append(name.data(), name.size());
            rule += "> does not match start tag <";
            rule += open_.back()->name;
            rule += '>';
            return set_error(rule, start);
        }
        ++pos_;
        open_.pop_back();
        return true;
    }

    // The element a start tag begins, made in its place in the tree: the root, or the last child
    // of the innermost open element. It stays where it is while open: its parent gets no other
    // child before it ends.
    constexpr element& place_new() {
        if (!open_.empty()) return open_.back()->children.emplace_back();
        have_root_ = true;
        return root_;
    }

    std::string_view text_;
    parse_options options_;
    std::size_t pos_ = 0;
    std::vector<element*> open_;  // the elements whose end tag has not been read, root first
    std::vector<std::string_view> attribute_names_;  // of the start tag being read, as written
    cloudreboot::detail::repeat_finder repeats_;
    element root_;
    bool have_root_ = false;
    error error_;
};

}  // namespace xml::detail
CLOUDREBOOT_END_NAMESPACE

#endif  // CLOUDREBOOT_CORE_DETAIL_XML_HPP
