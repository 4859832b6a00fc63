#include "tls.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <set>

namespace cloudreboot::emulator {

namespace {

// Documented regions (docs/<provider>.md); the fleet's own regions are added to these.
constexpr std::string_view alibaba_regions[] = {
    "cn-hangzhou", "cn-shanghai", "cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote", "cn-wulanchabu",
    "cn-shenzhen", "cn-heyuan", "cn-guangzhou", "cn-chengdu", "cn-nanjing", "cn-fuzhou", "cn-wuhan", "cn-hongkong",
    "ap-southeast-1", "ap-southeast-3", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1",
    "ap-northeast-2", "ap-south-1", "us-east-1", "us-west-1", "eu-west-1", "eu-central-1", "me-east-1",
    "me-central-1"};
constexpr std::string_view tencent_regions[] = {
    "ap-bangkok", "ap-beijing", "ap-chengdu", "ap-chongqing", "ap-guangzhou", "ap-guangzhou-open", "ap-hongkong",
    "ap-jakarta", "ap-mumbai", "ap-nanjing", "ap-seoul", "ap-shanghai", "ap-shanghai-fsi", "ap-shenzhen-fsi",
    "ap-singapore", "ap-tokyo", "eu-frankfurt", "eu-moscow", "na-ashburn", "na-siliconvalley", "na-toronto",
    "sa-saopaulo"};
constexpr std::string_view huawei_regions[] = {
    "cn-north-1", "cn-north-2", "cn-north-4", "cn-north-9", "cn-north-11", "cn-north-12", "cn-south-1",
    "cn-south-2", "cn-south-4", "cn-east-2", "cn-east-3", "cn-east-4", "cn-east-5", "cn-southwest-2",
    "cn-southwest-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
    "af-south-1", "af-north-1", "sa-brazil-1", "la-north-2", "la-south-2", "na-mexico-1", "tr-west-1",
    "me-east-1", "ae-ad-1", "eu-west-0", "eu-west-101", "my-kualalumpur-1", "ru-moscow-1"};
constexpr std::string_view baidu_regions[] = {"bj", "gz", "su", "hkg", "fwh", "bd", "sin", "fsh"};

struct deleter {
    void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
    void operator()(X509* cert) const noexcept { X509_free(cert); }
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
    void operator()(X509_EXTENSION* ext) const noexcept { X509_EXTENSION_free(ext); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, deleter>;
using cert_ptr = std::unique_ptr<X509, deleter>;
using bio_ptr = std::unique_ptr<BIO, deleter>;
using ext_ptr = std::unique_ptr<X509_EXTENSION, deleter>;

std::string read_bio(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    ext_ptr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

cert_ptr new_certificate(EVP_PKEY* key, const std::string& common_name) {
    cert_ptr cert(X509_new());
    if (!cert) return nullptr;
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) return nullptr;
    serial[0] &= 0x7F;  // positive
    BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
    ASN1_INTEGER* as_asn1 = number != nullptr ? BN_to_ASN1_INTEGER(number, nullptr) : nullptr;
    BN_free(number);
    if (as_asn1 == nullptr) return nullptr;
    X509_set_serialNumber(cert.get(), as_asn1);
    ASN1_INTEGER_free(as_asn1);
    // Validity follows the machine's clock, not the emulator's: clients check it with theirs.
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24L * 3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("cloudreboot-emulator"),
                               -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                               -1, -1, 0);
    return cert;
}

}  // namespace

std::vector<std::string> served_host_names(const std::vector<instance_spec>& fleet) {
    std::set<std::string> names = {"localhost",
                                   "*.aliyuncs.com",  // ecs.aliyuncs.com and ecs-<region>.aliyuncs.com
                                   "*.tencentcloudapi.com",
                                   "cvm.intl.tencentcloudapi.com",
                                   "cvm.api.qcloud.com",
                                   "*.myhuaweicloud.com",
                                   "*.baidubce.com"};
    const auto add_region = [&names](provider p, std::string_view region) {
        const std::string r(region);
        switch (p) {
            case provider::alibaba: names.insert("*." + r + ".aliyuncs.com"); break;  // ecs. and ecs-vpc.
            case provider::tencent: names.insert("cvm." + r + ".tencentcloudapi.com"); break;
            case provider::huawei: names.insert("ecs." + r + ".myhuaweicloud.com"); break;
            case provider::baidu: names.insert("bcc." + r + ".baidubce.com"); break;
        }
    };
    for (std::string_view r : alibaba_regions) add_region(provider::alibaba, r);
    for (std::string_view r : tencent_regions) add_region(provider::tencent, r);
    for (std::string_view r : huawei_regions) add_region(provider::huawei, r);
    for (std::string_view r : baidu_regions) add_region(provider::baidu, r);
    for (const instance_spec& spec : fleet) add_region(spec.provider, spec.region);
    return {names.begin(), names.end()};
}

struct throwaway_ca::keys {
    key_ptr ca_key{EVP_EC_gen("P-256")};
    key_ptr server_key{EVP_EC_gen("P-256")};
    cert_ptr ca;
};

throwaway_ca::throwaway_ca() : keys_(new keys) {
    if (!keys_->ca_key || !keys_->server_key) return;
    cert_ptr ca = new_certificate(keys_->ca_key.get(), "cloudreboot-emulator throwaway CA");
    if (!ca) return;
    X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get()));
    if (!add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE") ||
        !add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
        !add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash") ||
        X509_sign(ca.get(), keys_->ca_key.get(), EVP_sha256()) == 0)
        return;
    keys_->ca = std::move(ca);
}

throwaway_ca::~throwaway_ca() { delete keys_; }

bool throwaway_ca::ready() const noexcept { return keys_->ca != nullptr; }

tls_material throwaway_ca::issue(const std::vector<std::string>& dns_names, std::string& problem) {
    tls_material out;
    if (!ready()) {
        problem = "cannot create the CA";
        return out;
    }
    X509* ca = keys_->ca.get();
    cert_ptr server = new_certificate(keys_->server_key.get(), dns_names.empty() ? "cloudreboot-emulator" : dns_names.front());
    if (!server) {
        problem = "cannot create the server certificate";
        return out;
    }
    X509_set_issuer_name(server.get(), X509_get_subject_name(ca));
    std::string alt_names = "IP:127.0.0.1";
    for (const std::string& name : dns_names) alt_names += ",DNS:" + name;
    if (!add_extension(server.get(), ca, NID_basic_constraints, "critical,CA:FALSE") ||
        !add_extension(server.get(), ca, NID_key_usage, "critical,digitalSignature") ||
        !add_extension(server.get(), ca, NID_ext_key_usage, "serverAuth") ||
        !add_extension(server.get(), ca, NID_authority_key_identifier, "keyid:always") ||
        !add_extension(server.get(), ca, NID_subject_alt_name, alt_names) ||
        X509_sign(server.get(), keys_->ca_key.get(), EVP_sha256()) == 0) {
        problem = "cannot sign the server certificate";
        return out;
    }
    bio_ptr ca_bio(BIO_new(BIO_s_mem()));
    bio_ptr cert_bio(BIO_new(BIO_s_mem()));
    bio_ptr key_bio(BIO_new(BIO_s_mem()));
    if (!ca_bio || !cert_bio || !key_bio || PEM_write_bio_X509(ca_bio.get(), ca) != 1 ||
        PEM_write_bio_X509(cert_bio.get(), server.get()) != 1 ||
        PEM_write_bio_PrivateKey(key_bio.get(), keys_->server_key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        problem = "cannot write the PEM texts";
        return out;
    }
    out.ca_pem = read_bio(ca_bio.get());
    out.certificate_pem = read_bio(cert_bio.get());
    out.private_key_pem = read_bio(key_bio.get());
    return out;
}

}  // namespace cloudreboot::emulator
