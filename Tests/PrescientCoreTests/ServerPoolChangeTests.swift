import PrescientCore
import Testing

@Suite struct ServerPoolChangeTests {
    /// A reply of HAProxy 2.6's `show servers state pool`: i-1 ready, i-2 drained (admin 0x08), i-3 in maintenance (0x01).
    let reply = """
    1
    # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
    4 pool 1 i-1 127.0.0.1 2 0 10 10 5 1 0 0 0 0 0 0 - 9001 - 0 0 - - 0
    4 pool 2 i-2 127.0.0.1 2 8 10 10 5 1 0 0 0 0 0 0 - 9002 - 0 0 - - 0
    4 pool 3 i-3 127.0.0.1 0 1 1 1 5 1 0 0 0 0 0 0 - 9003 - 0 0 - - 0

    """

    @Test func parsesTheServersStateReply() throws {
        let s = try BackendServer.parseState(reply)
        #expect(s == [BackendServer(name: "i-1", address: "127.0.0.1", port: 9001, weight: 10),
                      BackendServer(name: "i-2", address: "127.0.0.1", port: 9002, weight: 10, admin: .draining),
                      BackendServer(name: "i-3", address: "127.0.0.1", port: 9003, weight: 1, admin: .maintenance)])
        #expect(throws: HAProxyCommand.InvalidArgument.self) { try BackendServer.parseState("1\n4 pool 1 i-1 127.0.0.1\n") }
    }

    @Test func addsReweightsDrainsThenDeletes() throws {
        let current = try BackendServer.parseState(reply)
        let wanted = [BackendServer(name: "i-1", address: "127.0.0.1", port: 9001, weight: 20),
                      BackendServer(name: "i-4", address: "127.0.0.1", port: 9004, weight: 10)]
        let c = ServerPoolChange.commands(backend: "pool", current: current, wanted: wanted)
        #expect(c == [.setWeight(backend: "pool", server: "i-1", weight: 20),
                      .addServer(backend: "pool", server: "i-4", address: "127.0.0.1", port: 9004, weight: 10),
                      .enableServer(backend: "pool", server: "i-4"),
                      .disableServer(backend: "pool", server: "i-2"), .deleteServer(backend: "pool", server: "i-2"),
                      .deleteServer(backend: "pool", server: "i-3")])
        // A ready server no longer wanted is drained first; one in maintenance that is wanted is enabled.
        let again = ServerPoolChange.commands(backend: "pool", current: current, wanted: [current[2]])
        #expect(again == [.enableServer(backend: "pool", server: "i-3"), .drainServer(backend: "pool", server: "i-1"),
                          .disableServer(backend: "pool", server: "i-2"), .deleteServer(backend: "pool", server: "i-2")])
    }
}
