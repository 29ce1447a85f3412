#include "sim/topology/cgi_program.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>

namespace reqtrace::topology {

std::optional<server::CgiProgram> reqtrace_cgi_program(const scenario::Scenario& scenario,
                                                       const std::filesystem::path& binary,
                                                       std::string& error) {
  server::CgiProgram program;
  if (binary.empty()) {
    std::error_code ec;
    program.path = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (ec) {
      error = "cannot find this program's own executable for the cgi model: " + ec.message();
      return std::nullopt;
    }
  } else {
    program.path = binary.string();
  }
  server::FileDescriptor scenario_file(
      ::memfd_create("reqtrace-scenario.json", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  const int fd = scenario_file.get();
  if (fd < 0) {
    error = std::string("cannot hand the scenario to the cgi programs: memfd_create: ") +
            std::strerror(errno);
    return std::nullopt;
  }
  nlohmann::json source = scenario.source;
  // The program reads the scenario from a descriptor, not from the scenario's folder: a real
  // app's file goes to it as an absolute path.
  if (!scenario.wsgi.empty())
    source["app"]["wsgi"] = std::filesystem::absolute(scenario.folder / scenario.wsgi).string();
  const std::string text = source.dump(2);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error =
          std::string("cannot write the scenario for the cgi programs: ") + std::strerror(errno);
      return std::nullopt;
    }
    done += static_cast<std::size_t>(n);
  }
  // Sealed: no program can change what the next one reads.
  ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  program.args = {"cgi", "/proc/self/fd/" + std::to_string(fd)};
  program.inherited_fds.push_back(std::move(scenario_file));
  return program;
}

}  // namespace reqtrace::topology
