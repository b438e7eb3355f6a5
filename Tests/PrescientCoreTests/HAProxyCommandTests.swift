import PrescientCore
import Testing

/// The runtime API's command lines and replies, byte for byte.
@Suite struct HAProxyCommandTests {
    @Test func commandsRenderAsTheSocketReadsThem() throws {
        #expect(try HAProxyCommand.prepareMap(map: "/etc/haproxy/users.map").text() == "prepare map /etc/haproxy/users.map\n")
        #expect(try HAProxyCommand.addMapEntries(map: "/m", version: 3, entries: [("u1", "be_eu"), ("seg-2", "be_us")]).text()
                == "add map @3 /m <<\nu1 be_eu\nseg-2 be_us\n\n")
        #expect(try HAProxyCommand.commitMap(map: "/m", version: 3).text() == "commit map @3 /m\n")
        #expect(try HAProxyCommand.setWeight(backend: "eu", server: "s1", weight: 40).text() == "set weight eu/s1 40\n")
        #expect(try HAProxyCommand.addServer(backend: "eu", server: "i-7", address: "127.0.0.1", port: 18080, weight: 10).text()
                == "add server eu/i-7 127.0.0.1:18080 weight 10\n")
        #expect(try HAProxyCommand.drainServer(backend: "eu", server: "i-7").text() == "set server eu/i-7 state drain\n")
        #expect(try HAProxyCommand.deleteServer(backend: "eu", server: "i-7").text() == "del server eu/i-7\n")
    }

    @Test func argumentsThatWouldSplitACommandAreRefused() {
        #expect(throws: HAProxyCommand.InvalidArgument.self) { _ = try HAProxyCommand.addMapEntries(map: "/m", version: 1, entries: [("u 1", "x")]).text() }
        #expect(throws: HAProxyCommand.InvalidArgument.self) { _ = try HAProxyCommand.addMapEntries(map: "/m", version: 1, entries: [("u1", "x\nshow info")]).text() }
        #expect(throws: HAProxyCommand.InvalidArgument.self) { _ = try HAProxyCommand.setWeight(backend: "eu", server: "s", weight: 300).text() }
        #expect(throws: HAProxyCommand.InvalidArgument.self) { _ = try HAProxyCommand.enableServer(backend: "", server: "s").text() }
    }

    @Test func repliesAreClassified() {
        #expect(HAProxyCommand.prepareMap(map: "/m").parse("New version created: 7\n\n") == .version(7))
        #expect(HAProxyCommand.prepareMap(map: "/m").parse("Unknown map identifier. Please use #<id> or <file>.\n") == .refused("Unknown map identifier. Please use #<id> or <file>."))
        #expect(HAProxyCommand.commitMap(map: "/m", version: 7).parse("\n") == .ok)
        #expect(HAProxyCommand.setWeight(backend: "eu", server: "x", weight: 1).parse("No such server.\n") == .refused("No such server."))
        #expect(HAProxyCommand.addServer(backend: "eu", server: "x", address: "127.0.0.1", port: 1, weight: 1).parse("New server registered.\n") == .ok)
        #expect(HAProxyCommand.deleteServer(backend: "eu", server: "x").parse("Server deleted.\n") == .ok)
        #expect(HAProxyCommand.showMap(map: "/m").parse("0x55d0c8a5e7d0 u1 be_eu\n0x55d0c8a5e810 u2 be_us\n\n")
                == .entries([HAProxyMapEntry(key: "u1", value: "be_eu"), HAProxyMapEntry(key: "u2", value: "be_us")]))
    }
}
