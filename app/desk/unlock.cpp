#include "app/desk/unlock.h"

#include <wx/wx.h>

#include <map>
#include <mutex>

#include "app/desk/ui.h"
#include "workpapers/errors.h"

namespace tickmark::desk {
namespace {
std::mutex unlockMutex;
std::map<std::string, Credentials> unlocked;
std::string keyOf(const std::filesystem::path& file) { return std::filesystem::absolute(file).lexically_normal().string(); }
}  // namespace

Credentials askToUnlock(const std::filesystem::path& file) {
    const std::string key = keyOf(file);
    {
        std::lock_guard<std::mutex> lock(unlockMutex);
        if (auto it = unlocked.find(key); it != unlocked.end()) return it->second;
    }
    if (!wxIsMainThread()) throw InputError(file.string() + " is encrypted and nobody has signed in to open it");
    wxTextEntryDialog who(nullptr, W(file.filename().string() + " is encrypted: only the team opens it.\n\nYour initials"),
                          "Open an encrypted engagement");
    if (who.ShowModal() != wxID_OK) throw Cancelled();
    wxPasswordEntryDialog pw(nullptr, "Password for " + who.GetValue(), "Open an encrypted engagement");
    if (pw.ShowModal() != wxID_OK) throw Cancelled();
    Credentials c{U(who.GetValue()), U(pw.GetValue())};
    std::lock_guard<std::mutex> lock(unlockMutex);
    unlocked[key] = c;
    return c;
}

void rememberUnlock(const std::filesystem::path& file, const Credentials& c) {
    std::lock_guard<std::mutex> lock(unlockMutex);
    unlocked[keyOf(file)] = c;
}

void forgetUnlock(const std::filesystem::path& file) {
    std::lock_guard<std::mutex> lock(unlockMutex);
    unlocked.erase(keyOf(file));
}

}  // namespace tickmark::desk
