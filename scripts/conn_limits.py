"""Connection limit and idle timeout of a running server, with plain sockets.
Usage: conn_limits.py PORT LIMIT. Opens LIMIT idle connections; a further one must be closed
without an answer; the idle ones must be closed by the server within its request timeout.
Prints what happened; exit 0 when both held."""
import socket, sys, time

port, limit = int(sys.argv[1]), int(sys.argv[2])
idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(limit)]
time.sleep(0.3)
extra = socket.create_connection(("127.0.0.1", port))
extra.settimeout(3)
try:
    extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = extra.recv(64)
except (ConnectionResetError, BrokenPipeError):
    answer = b""
except socket.timeout:
    answer = b"(no answer in 3 s)"
print(f"   connection {limit + 1} of {limit} allowed: {answer[:15]!r}")
started = time.time()
idle[0].settimeout(30)
try:
    closed = idle[0].recv(1) == b""
except ConnectionResetError:
    closed = True
print(f"   an idle connection was closed by the server after {time.time() - started:.1f} s")
sys.exit(0 if answer == b"" and closed else 1)
