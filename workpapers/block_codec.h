#pragma once
// A population block as stored. Its packed records (layout in population.h) are compressed as one
// LZ4 frame (the standard frame format, content size in its header: `lz4 -d` or Python's lz4.frame
// read it), so that a million-row population of change tickets takes a third of the pages: the import
// writes, logs, checkpoints and hashes a third of the bytes, and the file travels and archives at
// that size. LZ4 rather than zstd: zstd shrinks further (a fifth) but costs twice the CPU, and on a
// two-core laptop that CPU is what an import waits for. Blocks of files from before are stored as they
// are and read as such; the two are told apart by their first bytes (the frame's magic number
// 04 22 4D 18; a packed block starts with its record count, at most 256, so its third and fourth bytes
// are zero). Digests cover the stored bytes, so a block is never compressed again once written.
#include <string>
#include <string_view>

namespace tickmark {

// `raw` compressed into `out` (replaced).
void packBlock(std::string_view raw, std::string& out);
// The packed records of a stored block: `stored` itself, or its content decompressed into
// `scratch`. Throws std::runtime_error ("population block is damaged ...") for a frame that does not
// decompress to exactly the size its header states, or states more than a block can hold.
std::string_view unpackBlock(std::string_view stored, std::string& scratch);

}  // namespace tickmark
