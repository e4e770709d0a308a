// epoll for the load generator (the Swift Glibc module does not export it). Empty off Linux.
#ifndef COMPUTESIM_CLOADSHIMS_H
#define COMPUTESIM_CLOADSHIMS_H
#ifdef __linux__
#include <sys/epoll.h>
#endif
#endif
