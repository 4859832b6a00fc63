// cloudreboot: the one signing shell every provider's sign(), explain() and signer run on.
//
// A provider describes its signing with a traits type (each provider's signing.hpp has one,
// `detail::signing_traits`); the shell turns it into the same three entry points everywhere:
//
//   sign(op, credentials, context, options)      the request to send
//   explain(op, credentials, context, options)   the request, every intermediate string, the notes
//   signer{credentials}.sign(op, context, options)  the same bytes, paying once for what does not
//                                                change: the secret's HMAC pad states (made when the
//                                                signer is made) and the last derived key (kept in
//                                                a slot that is safe to share between threads)
//
// The traits supply:
//   options, explained             the provider's signing_options and signed_request_with_stages
//   secret_state                   what is made once from the credentials (HMAC pad states)
//   derived_key                    the key a scheme derives for a scope (crypto::hmac_sha256_key)
//   accepts<Op>                    whether Op is one of the provider's operations
//   make_secret_state(creds)
//   run(op, creds, ctx, options, keys, explained*)   the provider's pipeline: check everything,
//                                  write the request, run the scheme's stage writers over hash
//                                  sinks (tee'd into the stages when explained* is not null)
//   notes(op)                      warning-level remarks for explain()
#pragma once

#include "../core/config.hpp"
#include "../core/credentials.hpp"
#include "../core/http.hpp"
#include "../core/result.hpp"
#include "detail/derived_key.hpp"

#include <optional>
#include <string_view>
#include <utility>

CLOUDREBOOT_BEGIN_NAMESPACE
namespace signing {

// What a pipeline may reuse: the signer's secret state and derived-key slot, or nothing (one-shot
// signing makes its keys on the stack for the one request).
template <class Traits>
struct keys_in_hand {
    const typename Traits::secret_state* secret = nullptr;
    const detail::derived_key_slot<typename Traits::derived_key>* derived = nullptr;

    // The derived key for `scope`: the slot's when it holds this scope, else derive().
    template <class Derive>
    constexpr typename Traits::derived_key derived_for(std::string_view scope, Derive&& derive) const {
        if (derived != nullptr) return derived->get(scope, std::forward<Derive>(derive));
        return derive();
    }
};

template <class Traits, class Op>
    requires(Traits::template accepts<Op>)
constexpr result<http_request> sign(const Op& op, const credentials& creds, const signing_context& ctx,
                                    const typename Traits::options& options) {
    return Traits::run(op, creds, ctx, options, keys_in_hand<Traits>{}, nullptr);
}

template <class Traits, class Op>
    requires(Traits::template accepts<Op>)
constexpr result<typename Traits::explained> explain(const Op& op, const credentials& creds, const signing_context& ctx,
                                                     const typename Traits::options& options,
                                                     const keys_in_hand<Traits>& keys = {}) {
    typename Traits::explained out;
    auto request = Traits::run(op, creds, ctx, options, keys, &out);
    if (!request) return std::move(request).error();
    out.request = std::move(*request);
    out.notes = Traits::notes(op);
    return out;
}

// A reusable signer: byte-identical to the one-shot sign() and explain(). It is immutable once
// made but for its derived-key slot, which any number of threads may use at once, so one signer
// may be shared by every thread that signs with these credentials.
template <class Traits>
class basic_signer {
public:
    constexpr explicit basic_signer(const credentials& creds)
        : creds_(creds), secret_(Traits::make_secret_state(creds)) {}

    template <class Op>
        requires(Traits::template accepts<Op>)
    constexpr result<http_request> sign(const Op& op, const signing_context& ctx,
                                        const typename Traits::options& options = {}) const {
        return Traits::run(op, creds_, ctx, options, keys(), nullptr);
    }

    template <class Op>
        requires(Traits::template accepts<Op>)
    constexpr result<typename Traits::explained> explain(const Op& op, const signing_context& ctx,
                                                         const typename Traits::options& options = {}) const {
        return signing::explain<Traits>(op, creds_, ctx, options, keys());
    }

private:
    constexpr keys_in_hand<Traits> keys() const noexcept { return keys_in_hand<Traits>{&secret_, &derived_}; }

    credentials creds_;
    typename Traits::secret_state secret_;
    detail::derived_key_slot<typename Traits::derived_key> derived_;
};

}  // namespace signing
CLOUDREBOOT_END_NAMESPACE
