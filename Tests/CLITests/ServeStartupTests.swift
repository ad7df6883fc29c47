// mnist-serve's startup failures end the run with a sentence a user can act on: a port in use
// names the port and the way out, a host that is not an address is said to be one.

import Foundation
import NeuralNet
import Testing
import TestSupport

@Suite struct ServeStartupTests {
    /// A model file in `scratch` (random weights: the server only has to start).
    static func model(in scratch: ScratchDirectory) throws -> String {
        let path = scratch.url.appendingPathComponent("model.safetensors").path
        try Network(layerSizes: [784, 8, 10], seed: 1).save(to: path, metadata: [:])
        return path
    }

    @Test func aPortInUseIsNamedWithTheWayOut() throws {
        let scratch = try ScratchDirectory(prefix: "ServeStartup-port")
        // Hold a port: a listening socket on loopback, port chosen by the system.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, length) == 0 && getsockname(holder, $0, &length) == 0 }
        }
        try #require(bound && listen(holder, 1) == 0)
        let port = Int(UInt16(bigEndian: address.sin_port))

        let run = try CLI.run("mnist-serve", ["--model", try Self.model(in: scratch), "--port", String(port)])
        #expect(run.status == 1)
        #expect(run.stderr.contains("port \(port) on 127.0.0.1 is already in use"), "\(run.stderr)")
        #expect(run.stderr.contains("--port 0"), "\(run.stderr)")
        #expect(!run.stderr.contains("errno"), "\(run.stderr)")
    }

    @Test func anUnknownHostIsASentence() throws {
        let scratch = try ScratchDirectory(prefix: "ServeStartup-host")
        let run = try CLI.run("mnist-serve", ["--model", try Self.model(in: scratch), "--port", "0", "--host", "no.such.host.invalid"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("--host no.such.host.invalid is neither an IP address nor a name that resolves to one"), "\(run.stderr)")
    }

    @Test func aCollectFolderThatIsAFileIsRefusedAtStart() throws {
        let scratch = try ScratchDirectory(prefix: "ServeStartup-collect")
        let file = try scratch.write("not-a-folder", [1, 2, 3])
        let run = try CLI.run("mnist-serve", ["--model", try Self.model(in: scratch), "--port", "0", "--collect", file])
        #expect(run.status == 1)
        #expect(run.stderr.contains("--collect \(file): is a file, not a folder to collect digits in"), "\(run.stderr)")
    }

    @Test func aCollectLimitWithoutCollectIsRefused() throws {
        let scratch = try ScratchDirectory(prefix: "ServeStartup-limit")
        let run = try CLI.run("mnist-serve", ["--model", try Self.model(in: scratch), "--port", "0", "--collect-limit", "5"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--collect-limit limits the drawings --collect keeps; give --collect DIR"), "\(run.stderr)")
    }
}
