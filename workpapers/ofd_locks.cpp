#include "workpapers/ofd_locks.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <map>
#include <mutex>
#include <set>
#include <utility>

namespace tickmark::db {
namespace {

using FcntlFn = int (*)(int, int, ...);
using CloseFn = int (*)(int);

FcntlFn realFcntl = nullptr;
CloseFn realClose = nullptr;
bool installed = false;

// Per inode: the description every lock call goes through, and SQLite's descriptors that used it.
struct Inode {
    int lockFd = -1;
    std::set<int> users;
};
std::mutex mutex;
std::map<std::pair<dev_t, ino_t>, Inode>* inodes = nullptr;  // never destroyed: SQLite may close files at exit

// The descriptor to lock `fd`'s file through; `fd` itself when no dup can be made (still an OFD
// lock, so still safe from foreign close(); only two connections of this process would then not
// share one lock owner).
int lockDescriptorFor(int fd) {
    struct stat st;
    if (::fstat(fd, &st) != 0) return fd;
    std::lock_guard<std::mutex> g(mutex);
    auto& in = (*inodes)[{st.st_dev, st.st_ino}];
    if (in.lockFd < 0) {
        in.lockFd = realFcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (in.lockFd < 0) {
            inodes->erase({st.st_dev, st.st_ino});
            return fd;
        }
    }
    in.users.insert(fd);
    return in.lockFd;
}

bool isLockCommand(int cmd) { return cmd == F_SETLK || cmd == F_SETLKW || cmd == F_GETLK; }

bool takesPointer(int cmd) {
    switch (cmd) {
        case F_SETLK: case F_SETLKW: case F_GETLK:
        case F_OFD_SETLK: case F_OFD_SETLKW: case F_OFD_GETLK:
        case F_GETOWN_EX: case F_SETOWN_EX:
#ifdef F_GET_RW_HINT
        case F_GET_RW_HINT: case F_SET_RW_HINT: case F_GET_FILE_RW_HINT: case F_SET_FILE_RW_HINT:
#endif
            return true;
        default:
            return false;
    }
}

bool takesNothing(int cmd) {
    switch (cmd) {
        case F_GETFD: case F_GETFL: case F_GETOWN: case F_GETSIG: case F_GETLEASE: case F_GETPIPE_SZ:
#ifdef F_GET_SEALS
        case F_GET_SEALS:
#endif
            return true;
        default:
            return false;
    }
}

int ofdFcntl(int fd, int cmd, ...) {
    va_list ap;
    va_start(ap, cmd);
    if (takesNothing(cmd)) {
        va_end(ap);
        return realFcntl(fd, cmd);
    }
    if (!takesPointer(cmd)) {
        int arg = va_arg(ap, int);
        va_end(ap);
        return realFcntl(fd, cmd, arg);
    }
    void* arg = va_arg(ap, void*);
    va_end(ap);
    if (!isLockCommand(cmd)) return realFcntl(fd, cmd, arg);

    auto* caller = static_cast<struct flock*>(arg);
    struct flock l = *caller;
    l.l_pid = 0;  // required by the OFD commands
    const int ofd = cmd == F_SETLK ? F_OFD_SETLK : cmd == F_SETLKW ? F_OFD_SETLKW : F_OFD_GETLK;
    const int rc = realFcntl(lockDescriptorFor(fd), ofd, &l);
    if (cmd == F_GETLK && rc == 0) *caller = l;
    return rc;
}

int ofdClose(int fd) {
    struct stat st;
    if (::fstat(fd, &st) == 0) {
        std::lock_guard<std::mutex> g(mutex);
        auto it = inodes->find({st.st_dev, st.st_ino});
        if (it != inodes->end() && it->second.users.erase(fd) && it->second.users.empty()) {
            realClose(it->second.lockFd);  // SQLite's last descriptor of the file: its locks go with it
            inodes->erase(it);
        }
    }
    return realClose(fd);
}

// fork(): the child shares the parent's descriptions, so it must not lock through them.
void beforeFork() { mutex.lock(); }
void afterForkParent() { mutex.unlock(); }
void afterForkChild() {
    for (auto& [key, in] : *inodes) realClose(in.lockFd);
    inodes->clear();
    mutex.unlock();
}

bool kernelHasOfdLocks() {
    int fd = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) fd = ::open("/", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct flock l{};
    l.l_type = F_RDLCK;
    l.l_whence = SEEK_SET;
    const bool ok = ::fcntl(fd, F_OFD_GETLK, &l) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

bool useOfdLocks() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (!kernelHasOfdLocks()) return;
        sqlite3_initialize();
        sqlite3_vfs* vfs = sqlite3_vfs_find("unix");
        if (!vfs || vfs->iVersion < 3 || !vfs->xSetSystemCall) return;
        realFcntl = reinterpret_cast<FcntlFn>(vfs->xGetSystemCall(vfs, "fcntl"));
        realClose = reinterpret_cast<CloseFn>(vfs->xGetSystemCall(vfs, "close"));
        if (!realFcntl || !realClose) return;
        inodes = new std::map<std::pair<dev_t, ino_t>, Inode>;
        pthread_atfork(beforeFork, afterForkParent, afterForkChild);
        // Close first: a lock descriptor is only made by ofdFcntl, and dropped only by ofdClose.
        if (vfs->xSetSystemCall(vfs, "close", reinterpret_cast<sqlite3_syscall_ptr>(ofdClose)) != SQLITE_OK) return;
        if (vfs->xSetSystemCall(vfs, "fcntl", reinterpret_cast<sqlite3_syscall_ptr>(ofdFcntl)) != SQLITE_OK) {
            vfs->xSetSystemCall(vfs, "close", reinterpret_cast<sqlite3_syscall_ptr>(realClose));
            return;
        }
        installed = true;
    });
    return installed;
}

bool ofdLocksInUse() { return installed; }

}  // namespace tickmark::db
