#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

/// MHD_start_daemon is variadic (Swift cannot call it): the options Prescient sets, spelled out.
/// Listens on `host` (IPv4 dotted quad) : `port` (0: any free port) with a thread per connection
/// (a slow request — a batch waiting for the store — never delays another connection's), at most
/// `connections` connections, each closed after `timeout_seconds` idle.
static inline struct MHD_Daemon *prescient_mhd_start(const char *host, uint16_t port,
                                                     unsigned int connections, unsigned int timeout_seconds,
                                                     MHD_AccessHandlerCallback handler, void *handler_context,
                                                     MHD_RequestCompletedCallback completed, void *completed_context) {
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) return NULL;
    return MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
                            port, NULL, NULL, handler, handler_context,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
                            MHD_OPTION_CONNECTION_LIMIT, connections,
                            MHD_OPTION_CONNECTION_TIMEOUT, timeout_seconds,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, completed_context,
                            MHD_OPTION_END);
}

/// The port the daemon listens on (the one picked when started with port 0).
static inline uint16_t prescient_mhd_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}
