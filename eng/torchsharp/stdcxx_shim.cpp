// Defines the one libstdc++ symbol that TorchSharp's native library needs from GCC 13+ (GLIBCXX_3.4.32)
// and Debian 12's libstdc++ (GLIBCXX_3.4.30) lacks. GCC 13 emits a call to it from every translation unit
// that includes <iostream>; its whole job is to make sure the standard streams are constructed.
#include <ios>

namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
