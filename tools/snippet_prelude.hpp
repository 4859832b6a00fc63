// The context tools/check_snippets.py compiles every C++ fragment of the Markdown files in: what
// the reader's own program has around a fragment, and nothing of the library's. A fragment
// includes the cloudreboot headers it uses and declares the operations, keys and signing
// contexts it signs with; it gets from here only the standard headers a program has anyway and
// the program's own I/O. docs/conventions.md, "Snippets in docs".
#pragma once

#include <cloudreboot/core/credentials.hpp>
#include <cloudreboot/core/http.hpp>
#include <cloudreboot/core/provider.hpp>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Every fragment's function starts with `using namespace snippet_context;`. A namespace, not
// globals: the library's parameters named `headers` or `body` would shadow globals (-Wshadow).
namespace snippet_context {

// The answer the program's HTTP stack received for the request a fragment signed.
extern int status;
extern std::vector<cloudreboot::field> headers;
extern std::string body;

// The program's file reader (nullopt: no such file) and HTTP stack (nullopt: no answer), the two
// callbacks of the sans-IO credential chain.
std::optional<std::string> read_file(std::string_view path);
std::optional<cloudreboot::http_response> send(const cloudreboot::http_request& request);

// The program's secret store: the keys for one cloud (docs/credentials.md has the chains that find
// them in the environment, the CLIs' files and instance metadata).
cloudreboot::credentials keys_for(cloudreboot::provider cloud);

}  // namespace snippet_context
