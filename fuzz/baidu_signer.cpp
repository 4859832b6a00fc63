// libFuzzer target: Baidu's signer. The fuzz bytes give an operation (RebootInstance,
// GetInstance), credentials, a signing context and options, the endpoint included
// (fuzz_support.hpp read_common, then the fields below). Signing must either fail with an input
// error naming a field, or give a request that is well-formed on the wire and that
// baidu::verify() accepts as BCE receives it (baidu_check.hpp); sign(), explain() and the reusable
// signer must agree byte for byte.
//
// After the common fields: region, instanceId, forceStop, the expiration (a presence byte: 0 keeps
// 1800 s, else 4 bytes follow), the signed-header set (even default, odd host and x-bce-*), and
// the content type (a presence byte: 0 keeps application/json, else a text follows).
#include "baidu_check.hpp"
#include "fuzz_support.hpp"

#include <cloudreboot/baidu.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace {

namespace bd = cloudreboot::baidu;
namespace fz = cloudreboot::fuzz;
constexpr std::string_view target = "baidu_signer";

template <class Op>
void sign_and_check(const Op& op, const fz::common_fields& in, const bd::signing_options& options) {
    auto signed_once = bd::sign(op, in.creds, in.context, options);
    auto explained = bd::explain(op, in.creds, in.context, options);
    bd::signer reusable(in.creds);
    auto by_signer = reusable.sign(op, in.context, options);
    if (signed_once.has_value() != explained.has_value() || signed_once.has_value() != by_signer.has_value())
        fz::broken(target, "sign(), explain() and the signer disagree about success");
    if (!signed_once) {
        fz::check_error(target, signed_once.error());
        return;
    }
    if (!(*signed_once == explained->request) || !(*signed_once == *by_signer))
        fz::broken(target, "sign(), explain() and the signer give different requests", signed_once->url());
    fz::check_wire(target, *signed_once);
    fz::check_baidu_request(target, *signed_once, in.creds, in.context.time, explained->bce.canonical_request,
                            explained->bce.string_to_sign);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fz::field_reader in(std::span<const std::uint8_t>(data, size));
    const fz::common_fields common = fz::read_common(in);
    bd::signing_options options;
    if (!common.method.empty()) {
        auto method = cloudreboot::parse_method(common.method);
        if (!method) return 0;  // not expressible in the options
        options.method = *method;
    }
    if (common.target) options.endpoint = *common.target;

    const std::string region = in.text();
    const std::string instance_id = in.text();
    const bool force_stop = in.flag();
    if (const std::optional<std::int64_t> expiration = fz::read_optional_int(in)) options.expiration_seconds = *expiration;
    options.signed_headers = in.flag() ? bd::header_set::host_and_date : bd::header_set::default_set;
    if (in.byte() != 0) options.content_type = in.text();

    if (common.operation % 2 == 0) {
        const bd::reboot_instance op{.region = region, .instance_id = instance_id, .force_stop = force_stop};
        sign_and_check(op, common, options);
    } else {
        const bd::get_instance op{.region = region, .instance_id = instance_id};
        sign_and_check(op, common, options);
    }
    return 0;
}
