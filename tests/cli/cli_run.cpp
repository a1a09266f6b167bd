#include "cli_run.h"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ptxwb::test {

namespace {
std::string slurp(int fd) {
    std::string text;
    char buf[8192];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        text.append(buf, static_cast<std::size_t>(n));
    return text;
}
} // namespace

CliResult runCli(const std::vector<std::string>& args, const std::string& input,
                 const std::vector<std::string>& env) {
    // Files instead of pipes: no deadlock however much the child prints.
    char outName[] = "/tmp/ptxwb_cli_out_XXXXXX";
    char errName[] = "/tmp/ptxwb_cli_err_XXXXXX";
    char inName[] = "/tmp/ptxwb_cli_in_XXXXXX";
    int outFd = ::mkstemp(outName);
    int errFd = ::mkstemp(errName);
    int inFd = ::mkstemp(inName);
    if (::write(inFd, input.data(), input.size()) != static_cast<ssize_t>(input.size())) return {};
    ::lseek(inFd, 0, SEEK_SET);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, inFd, 0);
    posix_spawn_file_actions_adddup2(&actions, outFd, 1);
    posix_spawn_file_actions_adddup2(&actions, errFd, 2);
    std::vector<std::string> argv{PTXWB_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv)
        cargv.push_back(a.data());
    cargv.push_back(nullptr);
    std::vector<std::string> envStrings;
    for (char** e = environ; *e != nullptr; ++e)
        envStrings.emplace_back(*e);
    envStrings.insert(envStrings.end(), env.begin(), env.end());
    std::vector<char*> cenv;
    for (auto& e : envStrings)
        cenv.push_back(e.data());
    cenv.push_back(nullptr);

    CliResult result;
    pid_t pid = -1;
    if (::posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data()) == 0) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    posix_spawn_file_actions_destroy(&actions);
    ::lseek(outFd, 0, SEEK_SET);
    ::lseek(errFd, 0, SEEK_SET);
    result.out = slurp(outFd);
    result.err = slurp(errFd);
    for (int fd : {outFd, errFd, inFd})
        ::close(fd);
    for (const char* name : {outName, errName, inName})
        ::unlink(name);
    return result;
}

} // namespace ptxwb::test
