// libFuzzer target: Tencent's signer. The fuzz bytes give an operation (RebootInstances,
// DescribeInstancesStatus, DescribeInstances), credentials, a signing context and options, the
// endpoint included (fuzz_support.hpp read_common, then the fields below). Signing must either
// fail with an input error naming a field, or give a request that is well-formed on the wire and
// that tencent::verify() accepts as the gateway receives it (tencent_check.hpp); sign(), explain()
// and the reusable signer must agree byte for byte.
//
// After the common fields: region, the instance ids, ForceReboot (0 absent, 1 false, 2 true),
// StopType (0 absent, 1 SOFT, 2 HARD, 3 SOFT_FIRST), the wire order (a count, then one byte per
// parameter), Offset and Limit (a presence byte and 4 bytes each), the gateway (0 by host, 1 API
// 3.0, 2 legacy), content_type, the TC3 signed headers (modulo 3: content-type;host, with
// x-tc-action, hardened), language, request_client,
// send_signature_method, service. The scheme byte: 0 TC3, 1 HmacSHA256, 2 HmacSHA1.
#include "fuzz_support.hpp"
#include "tencent_check.hpp"

#include <cloudreboot/tencent.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace {

namespace tc = cloudreboot::tencent;
namespace fz = cloudreboot::fuzz;
constexpr std::string_view target = "tencent_signer";

template <class Op>
void sign_and_check(const Op& op, const fz::common_fields& in, const tc::signing_options& options) {
    auto signed_once = tc::sign(op, in.creds, in.context, options);
    auto explained = tc::explain(op, in.creds, in.context, options);
    tc::signer reusable(in.creds);
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
    const bool tc3 = explained->scheme == tc::scheme::tc3_hmac_sha256;
    fz::check_tencent_request(target, *signed_once, in.creds, in.context.time, options.service,
                              tc3 ? explained->tc3.canonical_request : explained->v1.request_string,
                              tc3 ? explained->tc3.string_to_sign : explained->v1.source_string);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fz::field_reader in(std::span<const std::uint8_t>(data, size));
    const fz::common_fields common = fz::read_common(in);
    tc::signing_options options;
    constexpr tc::scheme schemes[] = {tc::scheme::tc3_hmac_sha256, tc::scheme::hmac_sha256, tc::scheme::hmac_sha1};
    options.scheme = schemes[common.scheme % 3];
    if (!common.method.empty()) {
        auto method = cloudreboot::parse_method(common.method);
        if (!method) return 0;  // not expressible in the options
        options.method = *method;
    }
    options.endpoint = common.target;

    const std::string region = in.text();
    std::vector<std::string> ids = in.texts();
    const std::optional<bool> force = in.optional_bool();
    const unsigned stop = in.byte() % 4u;
    std::vector<tc::reboot_parameter> wire_order(in.byte() % 8u);
    for (tc::reboot_parameter& item : wire_order) item = static_cast<tc::reboot_parameter>(in.byte() % 3u);
    const std::optional<std::int64_t> offset = fz::read_optional_int(in);
    const std::optional<std::int64_t> limit = fz::read_optional_int(in);
    if (const unsigned door = in.byte() % 3u; door != 0)
        options.gateway = door == 1 ? tc::gateway::api3 : tc::gateway::legacy_v2;
    options.content_type = in.text();
    constexpr tc::tc3_signed_headers header_lists[] = {tc::tc3_signed_headers::content_type_and_host,
                                                       tc::tc3_signed_headers::with_action,
                                                       tc::tc3_signed_headers::hardened};
    options.signed_headers = header_lists[in.byte() % 3u];
    options.language = in.text();
    options.request_client = in.text();
    options.send_signature_method = in.flag();
    options.service = in.text();

    switch (common.operation % 3) {
        case 0: {
            tc::reboot_instances op{.region = region, .instance_ids = std::move(ids), .force_reboot = force,
                                    .stop_type = std::nullopt, .wire_order = std::move(wire_order)};
            constexpr tc::stop_type stops[] = {tc::stop_type::soft, tc::stop_type::hard, tc::stop_type::soft_first};
            if (stop != 0) op.stop_type = stops[stop - 1];
            sign_and_check(op, common, options);
            break;
        }
        case 1: {
            const tc::describe_instances_status op{.region = region, .instance_ids = std::move(ids), .offset = offset,
                                                   .limit = limit};
            sign_and_check(op, common, options);
            break;
        }
        default: {
            const tc::describe_instances op{.region = region, .instance_ids = std::move(ids), .offset = offset,
                                            .limit = limit};
            sign_and_check(op, common, options);
            break;
        }
    }
    return 0;
}
