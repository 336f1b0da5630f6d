#pragma once
#include <string>
#include <vector>

#include "workpapers/readers/table_source.h"

// Keeps everything a reader hands on, for the tests to look at.
struct Collected : tickmark::TableHandler {
    std::vector<std::string> names;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::int64_t> lines;
    void header(const std::vector<std::string>& h) override { names = h; }
    void record(const std::vector<std::string_view>& cells, std::int64_t line) override {
        rows.emplace_back(cells.begin(), cells.end());
        lines.push_back(line);
    }
};
