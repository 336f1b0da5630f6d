#pragma once
// The navigator's tree as plain data: engagement -> criteria groups -> controls -> population,
// selection, test workpaper, exceptions; review notes; the report. The desktop view draws it; the
// tests check it without a display.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark::desk {

// None, then WorkpaperStatus's values in its order (workpapers/rules/status.h decides them).
enum class Status { None, NotStarted, InProgress, Prepared, Reviewed, Stale, OpenNotes, Exceptions };
const char* statusLabel(Status s);

struct NavNode {
    enum class Kind { Engagement, Group, Control, Population, Sample, Test, Exceptions, Notes, Report } kind;
    std::string label;
    std::string control;                // Control and its children
    std::optional<std::int64_t> id;     // population or selection id
    Status status = Status::None;
    std::vector<NavNode> children;
    // The members of other programs who have this workpaper open now (the root: everyone else here,
    // with where they are): who is working where.
    std::vector<std::string> here = {};
};

// Everyone else who has the engagement open, and where: "Marcus Lee on test:CM-03" (the root's `here`).
std::vector<std::string> whoIsHere(Engagement& e);

// The workpaper a node shows, as programs announce where they work (Engagement::workingOn).
std::string workpaperOf(const NavNode& n);

NavNode buildNavigator(Engagement& e);
// Who is where, marked again on a tree built before: when only that changed (a member moved, came or
// left), the tree's statuses stand and need not be worked out again (on a server, thousands of reads).
void markWhoIsHere(Engagement& e, NavNode& root);

// Depth-first search for the first node of a kind (and control, when given).
const NavNode* findNode(const NavNode& root, NavNode::Kind kind, const std::string& control = "");

}  // namespace tickmark::desk
