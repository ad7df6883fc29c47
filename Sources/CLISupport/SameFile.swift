// Whether two paths a user gave name one file, however spelled: `same.bin`, `./same.bin`,
// `dir/../same.bin`, an absolute path, a symbolic link, or a hard link to it. Checked before a
// run, so that one output cannot silently overwrite another.

import Foundation

/// Whether `a` and `b` name the same file, existing or to be made.
public func sameFile(_ a: String, _ b: String) -> Bool {
    guard !a.isEmpty, !b.isEmpty else { return false }
    var first = stat(), second = stat()
    if stat(a, &first) == 0, stat(b, &second) == 0 {
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }
    return resolvedPath(a) == resolvedPath(b)
}

/// `path` made absolute, with its directory's symbolic links, `.` and `..` resolved (the
/// directory must exist for that; otherwise it is only tidied), and a trailing slash removed.
func resolvedPath(_ path: String) -> String {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    let directory = url.deletingLastPathComponent().path
    guard let resolved = realpath(directory, nil) else { return url.path }
    defer { free(resolved) }
    return URL(fileURLWithPath: String(cString: resolved)).appendingPathComponent(url.lastPathComponent).path
}
