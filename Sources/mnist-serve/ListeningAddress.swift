// What mnist-serve prints about where it listens, and what it says when it cannot: the URLs to
// open (for a wildcard address, this machine's own addresses, which a phone on the same network
// can open), and a sentence for a port in use or a host that is not this machine's.

import Foundation
import NIOCore

/// The address mnist-serve was asked to listen on.
struct ListeningAddress {
    var host: String
    var port: Int

    /// Whether the host is a wildcard that listens on every interface.
    var isWildcard: Bool { host == "0.0.0.0" || host == "::" || host == "[::]" }

    /// `http://host:port/`, the host bracketed when it is IPv6.
    static func url(host: String, port: Int) -> String {
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(shown):\(port)/"
    }

    /// The URL to open on this machine: for a wildcard, loopback.
    func localURL(port boundPort: Int) -> String {
        Self.url(host: isWildcard ? (host == "0.0.0.0" ? "127.0.0.1" : "::1") : host, port: boundPort)
    }

    /// For a wildcard, the URLs of this machine's other addresses (IPv4 for 0.0.0.0, both
    /// families for ::; link-local IPv6 left out, as a browser cannot open it without a zone).
    func networkURLs(port boundPort: Int) -> [String] {
        guard isWildcard else { return [] }
        return Self.interfaceAddresses(includingIPv6: host != "0.0.0.0").map { Self.url(host: $0, port: boundPort) }
    }

    /// The non-loopback addresses of the interfaces that are up.
    static func interfaceAddresses(includingIPv6: Bool) -> [String] {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { return [] }
        defer { freeifaddrs(first) }
        var addresses: [String] = []
        var entry = first
        while let current = entry?.pointee {
            defer { entry = current.ifa_next }
            guard let address = current.ifa_addr, current.ifa_flags & UInt32(IFF_UP) != 0,
                  current.ifa_flags & UInt32(IFF_LOOPBACK) == 0 else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || (includingIPv6 && family == AF_INET6) else { continue }
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            guard getnameinfo(address, length, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let name = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if name.lowercased().hasPrefix("fe80") { continue }
            if !addresses.contains(name) { addresses.append(name) }
        }
        return addresses
    }

    /// A sentence for a failure to start listening, or nil for a failure it does not know.
    func explain(_ error: any Error) -> String? {
        if let error = error as? IOError {
            switch error.errnoCode {
            case EADDRINUSE:
                return "port \(port) on \(host) is already in use (another mnist-serve?): choose another with --port, or --port 0 for any free port"
            case EADDRNOTAVAIL:
                return "\(host) is not an address of this machine: use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every network it is on)"
            case EACCES:
                return "port \(port) needs privileges this user does not have: use a port above 1023, or --port 0 for any free port"
            default:
                return nil
            }
        }
        if error is SocketAddressError || String(describing: type(of: error)).contains("UnknownHost") {
            return "--host \(host) is neither an IP address nor a name that resolves to one: use 127.0.0.1 (this machine only) or 0.0.0.0 (every network it is on)"
        }
        return nil
    }
}
