import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Whether a TCP server answers at host:port within a timeout (readiness checks).
enum TCPProbe {
    static func connect(host: String, port: Int, timeout: Double) -> Bool {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { return false }
        defer { freeaddrinfo(result) }
        var info: UnsafeMutablePointer<addrinfo>? = first
        while let current = info {
            let fd = socket(current.pointee.ai_family, current.pointee.ai_socktype, current.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                let connected = Glibc.connect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0
                close(fd)
                if connected { return true }
            }
            info = current.pointee.ai_next
        }
        return false
    }
}
