// The time in file names the server makes: collected drawings and fine-tuned models.

import Foundation

enum UTCStamp {
    /// `20261203-101502`: UTC, so names sort by time wherever the server runs.
    static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }
}
