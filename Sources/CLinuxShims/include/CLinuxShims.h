// The Linux system headers the Swift Glibc module does not export (epoll), for the server's
// event loops. Empty elsewhere.
#ifndef COMPUTESIM_CLINUXSHIMS_H
#define COMPUTESIM_CLINUXSHIMS_H
#ifdef __linux__
#include <sys/epoll.h>
#endif
#endif
