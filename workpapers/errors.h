#pragma once
// The two kinds of failure the front ends tell apart: the user's input, a refused operation or a
// file kept busy by another program (exit 2, the message says what to do), and everything else (exit 1).
#include <stdexcept>
#include <string>

namespace tickmark {

// Bad input or an operation the rules refuse. The message names the file, row or field.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The user cancelled a long operation; nothing was written.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled; the engagement file is unchanged") {}
};

// Another program kept the engagement file's write lock longer than this one waits (the busy
// timeout). The message names who has the file open; nothing was changed. Exit 2: try again later.
// Refused because the record changed after the caller read it (another member's write came first): the
// message names who changed what and when; reading it again and deciding again is the way on.
class ConflictError : public InputError {
public:
    using InputError::InputError;
};

class BusyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// SQLite said no. Carries SQLite's extended result code and message.
class StorageError : public std::runtime_error {
public:
    StorageError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
    int code() const { return code_; }
private:
    int code_;
};

}  // namespace tickmark
