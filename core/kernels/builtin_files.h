#pragma once
// The built-in kernel set's files (resources/kernels), embedded at build time.

#include <string_view>
#include <vector>

namespace ptxwb::kernels {

struct BuiltinFile {
    std::string_view name;
    std::string_view content;
};

/// Every file of resources/kernels, sorted by name.
const std::vector<BuiltinFile>& builtinKernelFiles();

} // namespace ptxwb::kernels
