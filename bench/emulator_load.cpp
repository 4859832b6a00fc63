// cloudreboot-emulator-load: how many verified requests per second the emulator answers on
// loopback, over keep-alive connections, and its CPU time per request.
//
//   cloudreboot-emulator-load --emulator BIN [--connections N] [--seconds S] [--threads T]
//
// Starts the emulator (--instances 10, no log, its default keys), signs one Tencent TC3
// DescribeInstancesStatus request with the library (TC3 has no nonce, so the same signed request
// may be sent again and again inside its 5-minute window), sends it over N keep-alive connections
// (one client thread each) for S seconds, and reads the emulator's CPU time from
// /proc/<pid>/stat before and after. Beside it, the library's raw cost of verifying that same
// request (tencent::verify of the request as the emulator receives it, this thread's CPU time),
// and the emulator's CPU per request over it. Every answer must be 200 without an Error, so a
// verifier that refused the request would fail the run; the emulator's --print-verifier is
// printed too. Prints one JSON line. Linux only; a measuring tool, not a test.
#include <cloudreboot/tencent.hpp>
#include <cloudreboot/tencent/verify.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace cr = cloudreboot;

struct emulator_process {
    pid_t pid = -1;
    int port = 0;
};

emulator_process start(const std::string& binary, const std::string& threads) {
    int out[2];
    if (pipe(out) != 0) return {};
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        execl(binary.c_str(), binary.c_str(), "--instances", "10", "--threads", threads.c_str(), nullptr);
        _exit(127);
    }
    close(out[1]);
    std::string line;
    char c = 0;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    const std::size_t colon = line.rfind(':');
    if (pid < 0 || colon == std::string::npos) return {};
    return {pid, std::atoi(line.c_str() + colon + 1)};
}

// utime + stime of a process, in seconds.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t close_paren = text.rfind(')');
    if (close_paren == std::string::npos) return 0;
    std::istringstream fields(text.substr(close_paren + 2));
    std::string field;
    double ticks = 0;
    for (int index = 3; fields >> field; ++index) {
        if (index == 14 || index == 15) ticks += std::stod(field);
        if (index == 15) break;
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// What the emulator says is built in for verification ("library").
std::string verifier_of(const std::string& binary) {
    std::string command = "'" + binary + "' --print-verifier";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return "unknown";
    std::string out;
    char chunk[64];
    while (std::fgets(chunk, sizeof chunk, pipe) != nullptr) out += chunk;
    pclose(pipe);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out.empty() ? "unknown" : out;
}

double thread_cpu_seconds() {
    timespec at{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &at);
    return static_cast<double>(at.tv_sec) + static_cast<double>(at.tv_nsec) * 1e-9;
}

// The library's tencent::verify() of `wire` (the bytes sent) as the emulator reads them, in CPU
// microseconds per call over at least `budget` seconds; negative when it is refused.
double raw_verify_us(const std::string& wire, const cr::credentials& key, const cr::utc_time& now, double budget) {
    const std::size_t head_end = wire.find("\r\n\r\n");
    const std::string_view head = std::string_view(wire).substr(0, head_end);
    const std::size_t line_end = head.find("\r\n");
    std::vector<cr::field> headers;
    std::string host;
    for (std::string_view rest = head.substr(line_end + 2); !rest.empty();) {
        const std::size_t end = rest.find("\r\n");
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 2);
        const std::size_t colon = line.find(':');
        cr::field header{std::string(line.substr(0, colon)), std::string(cr::text::trim(line.substr(colon + 1)))};
        if (cr::text::iequals(header.name, "host")) host = header.value;
        headers.push_back(std::move(header));
    }
    auto received = cr::signing::received_request(head.substr(0, line_end), host, headers,
                                                  std::string_view(wire).substr(head_end + 4), "http");
    if (!received) return -1;
    const auto lookup = [&key](std::string_view id) -> std::optional<cr::credentials> {
        if (id == key.access_key_id) return key;
        return std::nullopt;
    };
    if (!cr::tencent::verify(*received, lookup, now).accepted()) return -1;
    long calls = 0;
    const double started = thread_cpu_seconds();
    double spent = 0;
    while (spent < budget) {
        for (int i = 0; i < 256; ++i) {
            const cr::signing::verdict decided = cr::tencent::verify(*received, lookup, now);
            if (!decided.accepted()) return -1;
        }
        calls += 256;
        spent = thread_cpu_seconds() - started;
    }
    return spent * 1e6 / static_cast<double>(calls);
}

int connect_to(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return -1;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// Sends the request, reads one answer (headers and Content-Length bytes). False on any failure
// or on an answer that is not 200 with no Error in it.
bool exchange(int fd, const std::string& request, std::string& buffer) {
    for (std::size_t sent = 0; sent < request.size();) {
        const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    char chunk[16384];
    std::size_t header_end = std::string::npos;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
    const std::size_t length_at = buffer.find("Content-Length: ");
    const std::size_t length = length_at < header_end ? std::strtoul(buffer.c_str() + length_at + 16, nullptr, 10) : 0;
    while (buffer.size() < header_end + 4 + length) {
        const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
    const bool ok = buffer.starts_with("HTTP/1.1 200") &&
                    buffer.find("\"Error\"", header_end) > header_end + 4 + length;
    buffer.erase(0, header_end + 4 + length);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    std::string binary;
    int connections = 1;
    double seconds = 3;
    std::string threads = "2";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        if (name == "--emulator") binary = argv[i + 1];
        else if (name == "--connections") connections = std::atoi(argv[i + 1]);
        else if (name == "--seconds") seconds = std::atof(argv[i + 1]);
        else if (name == "--threads") threads = argv[i + 1];
    }
    if (binary.empty() || connections < 1) {
        std::cerr << "usage: cloudreboot-emulator-load --emulator BIN [--connections N] [--seconds S] [--threads T]\n";
        return 2;
    }
    const emulator_process emulator = start(binary, threads);
    if (emulator.pid <= 0 || emulator.port == 0) {
        std::cerr << "cloudreboot-emulator-load: the emulator did not start\n";
        return 1;
    }
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    cr::credentials key{.access_key_id = "emulator-tencent-ak", .access_key_secret = cr::secret_key("emulator-tencent-sk")};
    cr::signing_context at{.time = cr::utc_time::from_unix_seconds(now).value(), .nonce = "1"};
    cr::tencent::describe_instances_status op{.region = "ap-guangzhou"};
    auto signed_request = cr::tencent::sign(op, key, at);
    if (!signed_request) {
        std::cerr << "cloudreboot-emulator-load: " << signed_request.error().message() << '\n';
        return 1;
    }
    std::string request = signed_request->method + " " + signed_request->target() + " HTTP/1.1\r\n";
    for (const cr::field& header : signed_request->headers) request += header.name + ": " + header.value + "\r\n";
    if (signed_request->find_header("Host") == nullptr) request += "Host: " + signed_request->authority() + "\r\n";
    request += "Content-Length: " + std::to_string(signed_request->body.size()) + "\r\n\r\n" + signed_request->body;
    const double verify_us = raw_verify_us(request, key, at.time, 0.5);
    if (verify_us < 0) {
        std::cerr << "cloudreboot-emulator-load: the library's verify() refuses the request it would send\n";
        kill(emulator.pid, SIGTERM);
        waitpid(emulator.pid, nullptr, 0);
        return 1;
    }
    const std::string verifier = verifier_of(binary);

    std::atomic<bool> stop{false};
    std::atomic<long> answered{0};
    std::atomic<long> failed{0};
    std::vector<std::thread> clients;
    const double cpu_before = cpu_seconds(emulator.pid);
    const auto started = std::chrono::steady_clock::now();
    for (int c = 0; c < connections; ++c) {
        clients.emplace_back([&] {
            const int fd = connect_to(emulator.port);
            if (fd < 0) {
                ++failed;
                return;
            }
            std::string buffer;
            while (!stop.load(std::memory_order_relaxed)) {
                if (exchange(fd, request, buffer)) ++answered;
                else {
                    ++failed;
                    break;
                }
            }
            close(fd);
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (std::thread& client : clients) client.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double cpu = cpu_seconds(emulator.pid) - cpu_before;
    kill(emulator.pid, SIGTERM);
    waitpid(emulator.pid, nullptr, 0);
    const double per_second = static_cast<double>(answered.load()) / elapsed;
    const double cpu_us = answered.load() > 0 ? cpu * 1e6 / static_cast<double>(answered.load()) : 0.0;
    std::printf("{\"verifier\":\"%s\",\"connections\":%d,\"server_threads\":%s,\"seconds\":%.2f,\"requests\":%ld,"
                "\"failed\":%ld,\"requests_per_second\":%.0f,\"emulator_cpu_us_per_request\":%.1f,"
                "\"library_verify_us\":%.2f,\"emulator_cpu_over_verify\":%.1f}\n",
                verifier.c_str(), connections, threads.c_str(), elapsed, answered.load(), failed.load(), per_second,
                cpu_us, verify_us, cpu_us / verify_us);
    return failed.load() == 0 ? 0 : 1;
}
