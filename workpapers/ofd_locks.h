#pragma once
// SQLite's locks as open-file-description (OFD) locks, so that no other code in the process can
// drop them.
//
// SQLite's unix VFS locks the database and its -shm file with POSIX advisory locks (fcntl F_SETLK).
// Those belong to the process: closing ANY descriptor of the file in the process, one GTK's file
// chooser opened to sniff the folder, a thumbnailer's, drops every one of them, and another
// program then checkpoints and deletes the write-ahead log this one still uses. OFD locks belong
// to the open file description instead: a foreign open()+close() leaves them alone. They conflict
// with POSIX locks in the kernel, so the sqlite3 shell and older Tickmarks are still kept out.
//
// How: SQLite lets a program replace the system calls its unix VFSes make (xSetSystemCall; all the
// unix VFSes share one table). The replacement "fcntl" turns F_SETLK/F_SETLKW/F_GETLK into
// F_OFD_SETLK/F_OFD_SETLKW/F_OFD_GETLK. SQLite keeps one lock state per file (inode) for all the
// connections of a process and issues each lock call on whichever connection's descriptor comes
// first; with POSIX locks that is the same owner, with OFD locks it would not be. So every lock
// call for one inode goes through one description per inode: a close-on-exec dup() of the first
// descriptor SQLite locks with. The replacement "close" drops the dup when SQLite closes the last
// of its descriptors for that inode (SQLite never closes a descriptor while the process holds a
// lock on its file; it relies on close() to drop the -shm file's lock, and this keeps that true).
// A forked child forgets the parent's dups (they share the parent's descriptions).
namespace tickmark::db {

// Installs the replacements once, before the first connection opens (db::Database calls it).
// Returns false when the kernel has no OFD locks (Linux before 3.15); SQLite's POSIX locks stay.
bool useOfdLocks();

// Whether the replacements are in place (for tests and diagnostics).
bool ofdLocksInUse();

}  // namespace tickmark::db
