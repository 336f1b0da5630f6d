#pragma once
// What a view of the main window may ask of it: the open engagement, the member signed in (asking
// them to sign in when nobody is), that every view be brought up to date after a write, a workpaper
// opened by name, a line in the status bar. Pages hold a Workbench&, never the frame itself.
#include <wx/string.h>

#include <optional>
#include <string>

#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace tickmark::desk {

class Workbench {
public:
    virtual ~Workbench() = default;
    // InputError when no engagement is open.
    virtual Engagement& engagement() = 0;
    // The member a write is recorded under; asks to sign in when nobody is. InputError when still nobody,
    // or when the engagement is open read-only (a read-only file, or locked after assembly).
    virtual const Actor& signedIn() = 0;
    virtual const std::optional<Actor>& actor() const = 0;
    // The engagement cannot be written here: why (empty when it can).
    virtual std::string readOnlyReason() const = 0;
    // After a write: every view redraws from the engagement (the tree, the dashboard, the page shown).
    virtual void changed() = 0;
    // "test:CM-03", "population:1", "sample:4", "report", "notes", "audit", "engagement".
    virtual void openWorkpaper(const std::string& workpaper) = 0;
    virtual void status(const wxString& text) = 0;
};

}  // namespace tickmark::desk
