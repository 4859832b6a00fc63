// libFuzzer target: Huawei's signer. The fuzz bytes give an operation (BatchRebootServers,
// ShowJob, ShowServer), credentials, a signing context and options, the endpoint included
// (fuzz_support.hpp read_common, then the fields below). Signing must either fail with an input
// error naming a field, or give a request that is well-formed on the wire and that
// huawei::verify() accepts as the gateway receives it (huawei_check.hpp); sign(), explain() and the
// reusable signer must agree byte for byte.
//
// After the common fields: project_id, region, type (even SOFT, odd HARD), the server ids, job_id,
// server_id, the body order (even sdk, odd documentation), project_id_header and
// content_type_header (0 keeps the default, sent), sign_unsigned_payload, the service (a presence
// byte: 0 keeps "ecs", else a text follows). The scheme byte: even SDK-HMAC-SHA256, odd V11.
#include "fuzz_support.hpp"
#include "huawei_check.hpp"

#include <cloudreboot/huawei.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace {

namespace hw = cloudreboot::huawei;
namespace fz = cloudreboot::fuzz;
constexpr std::string_view target = "huawei_signer";

template <class Op>
void sign_and_check(const Op& op, const fz::common_fields& in, const hw::signing_options& options) {
    auto signed_once = hw::sign(op, in.creds, in.context, options);
    auto explained = hw::explain(op, in.creds, in.context, options);
    hw::signer reusable(in.creds);
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
    const bool v11 = explained->scheme == hw::scheme::v11_hmac_sha256;
    fz::check_huawei_request(target, *signed_once, in.creds, in.context.time, v11 ? options.service : std::string(),
                             v11 ? explained->v11.canonical_request : explained->sdk.canonical_request,
                             v11 ? explained->v11.string_to_sign : explained->sdk.string_to_sign);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fz::field_reader in(std::span<const std::uint8_t>(data, size));
    const fz::common_fields common = fz::read_common(in);
    hw::signing_options options;
    options.scheme = common.scheme % 2 == 0 ? hw::scheme::sdk_hmac_sha256 : hw::scheme::v11_hmac_sha256;
    if (!common.method.empty()) {
        auto method = cloudreboot::parse_method(common.method);
        if (!method) return 0;  // not expressible in the options
        options.method = *method;
    }
    if (common.target) options.endpoint = *common.target;

    const std::string project_id = in.text();
    const std::string region = in.text();
    const hw::reboot_type type = in.flag() ? hw::reboot_type::hard : hw::reboot_type::soft;
    std::vector<std::string> server_ids = in.texts();
    const std::string job_id = in.text();
    const std::string server_id = in.text();
    options.order = in.flag() ? hw::body_order::documentation : hw::body_order::sdk;
    options.project_id_header = !in.flag();
    options.content_type_header = !in.flag();
    options.sign_unsigned_payload = in.flag();
    if (in.byte() != 0) options.service = in.text();

    switch (common.operation % 3) {
        case 0: {
            const hw::batch_reboot_servers op{.project_id = project_id, .region = region, .type = type,
                                              .server_ids = std::move(server_ids)};
            sign_and_check(op, common, options);
            break;
        }
        case 1: {
            const hw::show_job op{.project_id = project_id, .region = region, .job_id = job_id};
            sign_and_check(op, common, options);
            break;
        }
        default: {
            const hw::show_server op{.project_id = project_id, .region = region, .server_id = server_id};
            sign_and_check(op, common, options);
            break;
        }
    }
    return 0;
}
