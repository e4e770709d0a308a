#if canImport(Glibc)
    import Glibc
    import CLinuxShims
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for descriptors to become readable or writable: `epoll` on Linux (registered once,
/// O(ready) per wait), `poll` elsewhere (the whole set per wait).
struct Poller {
    /// What a descriptor is waited for, and what it became.
    struct Events: OptionSet {
        let rawValue: UInt8
        static let readable = Events(rawValue: 1)
        static let writable = Events(rawValue: 2)
        /// Hung up or failed: reading tells which.
        static let closed = Events(rawValue: 4)
    }

    /// The descriptors and events of the last ``wait(milliseconds:)``.
    private(set) var ready: [(descriptor: Int32, events: Events)] = []

    #if os(Linux)
        private let epoll: Int32
        private var buffer: [epoll_event]

        init() throws(SocketError) {
            epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
            guard epoll >= 0 else { throw SocketError("create", "an epoll instance") }
            buffer = [epoll_event](repeating: epoll_event(), count: 256)
        }

        private static func mask(_ events: Events) -> UInt32 {
            var mask: UInt32 = 0
            if events.contains(.readable) { mask |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue }
            if events.contains(.writable) { mask |= EPOLLOUT.rawValue }
            return mask
        }

        mutating func add(_ descriptor: Int32, _ events: Events) {
            var event = epoll_event(events: Self.mask(events), data: epoll_data_t(fd: descriptor))
            _ = epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event)
        }

        mutating func change(_ descriptor: Int32, _ events: Events) {
            var event = epoll_event(events: Self.mask(events), data: epoll_data_t(fd: descriptor))
            _ = epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event)
        }

        /// Forgets a descriptor (call before closing it).
        mutating func remove(_ descriptor: Int32) {
            var event = epoll_event()
            _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, &event)
        }

        mutating func wait(milliseconds: Int32) {
            ready.removeAll(keepingCapacity: true)
            let count = epoll_wait(epoll, &buffer, Int32(buffer.count), milliseconds)
            guard count > 0 else { return }
            for index in 0..<Int(count) {
                let raw = buffer[index].events
                var events: Events = []
                if raw & EPOLLIN.rawValue != 0 { events.insert(.readable) }
                if raw & EPOLLOUT.rawValue != 0 { events.insert(.writable) }
                if raw & (EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0 { events.insert(.closed) }
                ready.append((buffer[index].data.fd, events))
            }
        }

        func close() { _ = Glibc.close(epoll) }
    #else
        private var registered: [pollfd] = []

        init() throws(SocketError) {}

        private static func mask(_ events: Events) -> Int16 {
            var mask: Int16 = 0
            if events.contains(.readable) { mask |= Int16(POLLIN) }
            if events.contains(.writable) { mask |= Int16(POLLOUT) }
            return mask
        }

        mutating func add(_ descriptor: Int32, _ events: Events) {
            registered.append(pollfd(fd: descriptor, events: Self.mask(events), revents: 0))
        }

        mutating func change(_ descriptor: Int32, _ events: Events) {
            if let index = registered.firstIndex(where: { $0.fd == descriptor }) { registered[index].events = Self.mask(events) }
        }

        mutating func remove(_ descriptor: Int32) { registered.removeAll { $0.fd == descriptor } }

        mutating func wait(milliseconds: Int32) {
            ready.removeAll(keepingCapacity: true)
            guard poll(&registered, nfds_t(registered.count), milliseconds) > 0 else { return }
            for entry in registered where entry.revents != 0 {
                var events: Events = []
                if entry.revents & Int16(POLLIN) != 0 { events.insert(.readable) }
                if entry.revents & Int16(POLLOUT) != 0 { events.insert(.writable) }
                if entry.revents & Int16(POLLHUP | POLLERR) != 0 { events.insert(.closed) }
                ready.append((entry.fd, events))
            }
        }

        func close() {}
    #endif
}
