import ComputeSim
import SimulationKernel

extension Gateway {
    /// `/sim`: the simulation's controls, for administrators (or anyone under noauth).
    ///
    /// - `GET /sim/clock`: simulated now, speed, mode, pending events.
    /// - `POST /sim/advance` `{"duration": "30s"}` or `{"seconds": 30}`; `POST /sim/run-until-idle`.
    /// - `POST /sim/fault` `{"kind": "hostDown", "host": "…"}` (the session fault kinds).
    /// - `GET /sim/servers/{id}/files?path=/etc`: the guest filesystem.
    /// - `GET /sim/trace[?limit=N]`: the most recent trace lines (at most 1,000 are kept).
    /// - `POST /sim/snapshot` `{"name": "clean"}`, `POST /sim/restore/{name}`, `GET /sim/snapshots`.
    mutating func controlRequest(_ request: HTTPRequest, target: Target, method: String) -> APIResponse {
        let who: (user: String, project: ProjectID, roles: [Role])
        do { who = try caller(request) } catch { return unauthorized(error) }
        guard auth == .noauth || who.roles.contains(.admin) else { return Self.controlError(403, "the simulation's controls are for administrators") }
        catchUp(compute: false)
        let segments = target.segments.dropFirst().map(String.init)
        let query = Self.query(target.query)
        // The control's name, and the one path parameter of files and restore.
        var kind = segments.count == 1 ? segments[0] : ""
        var argument = ""
        if segments.count == 3, segments[0] == "servers", segments[2] == "files" {
            (kind, argument) = ("files", segments[1])
        } else if segments.count == 2, segments[0] == "restore" {
            (kind, argument) = ("restore", segments[1])
        }
        do throws(ControlError) {
            switch (method, kind) {
            case ("GET", "clock"):
                return APIResponse(status: 200, body: clockJSON())
            case ("POST", "advance"):
                let body = try Self.jsonBody(request)
                let duration: SimDuration
                if let text = body["duration"]?.stringValue {
                    do { duration = try SimDuration(parsing: text) } catch { throw ControlError(400, error.message) }
                } else if let value = Self.number(body["seconds"]) {
                    do { duration = try SimDuration(secondsValue: value) } catch { throw ControlError(400, error.message) }
                } else {
                    throw ControlError(400, "advance needs {\"duration\": \"30s\"} or {\"seconds\": 30}")
                }
                guard duration >= .zero else { throw ControlError(400, "cannot advance by a negative duration (\(duration))") }
                do { try cloud.advance(by: duration) } catch { throw ControlError(400, error.message) }
                time.reanchor(wallNow: monotonicNow(), simulatedNow: cloud.now)
                return APIResponse(status: 200, body: clockJSON())
            case ("POST", "run-until-idle"):
                let outcome = cloud.runUntilIdle()
                time.reanchor(wallNow: monotonicNow(), simulatedNow: cloud.now)
                var body = clockJSON()
                if case .object(var fields) = body {
                    fields.append(("outcome", .string(outcome == .idle ? "idle" : "reachedEventLimit")))
                    body = .object(fields)
                }
                return APIResponse(status: 200, body: body)
            case ("POST", "fault"):
                let body = try Self.jsonBody(request)
                do { try cloud.applyNow(try ScriptedFault(json: body)) } catch {
                    throw ControlError(error.httpStatus, error.message)
                }
                return APIResponse(status: 200, body: clockJSON())
            case ("GET", "files"):
                let files: JSONValue
                do { files = try cloud.fileListing(of: ServerID(argument), path: query["path"] ?? "/") } catch {
                    throw ControlError(error.httpStatus, error.message)
                }
                return APIResponse(status: 200, body: ["files": files])
            case ("GET", "trace"):
                var lines = cloud.capturedTraceLines
                if let text = query["limit"] {
                    guard let limit = Int(text), limit >= 0 else { throw ControlError(400, "limit must be a non-negative integer, got \(text)") }
                    lines = Array(lines.suffix(limit))
                }
                return APIResponse(status: 200, body: ["lines": .array(lines.map(JSONValue.string))])
            case ("POST", "snapshot"):
                let body = try Self.jsonBody(request)
                guard let name = body["name"]?.stringValue, !name.isEmpty, name.utf8.count <= 255 else {
                    throw ControlError(400, "snapshot needs {\"name\": \"…\"}, 1 to 255 bytes")
                }
                guard snapshots[name] != nil || snapshots.count < Self.maximumSnapshots else {
                    throw ControlError(409, "at most \(Self.maximumSnapshots) snapshots are kept; restore or reuse a name")
                }
                snapshots[name] = cloud
                return APIResponse(status: 201, body: ["name": .string(name), "now": .string(cloud.wallClockTime)])
            case ("GET", "snapshots"):
                return APIResponse(status: 200, body: ["snapshots": .array(snapshots.keys.sorted().map(JSONValue.string))])
            case ("POST", "restore"):
                guard let saved = snapshots[argument] else { throw ControlError(404, "no snapshot named \(argument)") }
                cloud = saved
                time.reanchor(wallNow: monotonicNow(), simulatedNow: cloud.now)
                return APIResponse(status: 200, body: clockJSON())
            case (_, "clock"), (_, "advance"), (_, "run-until-idle"), (_, "fault"), (_, "trace"), (_, "snapshot"), (_, "snapshots"), (_, "files"),
                (_, "restore"):
                throw ControlError(405, "\(method) is not allowed on /sim/\(segments.joined(separator: "/"))")
            default:
                throw ControlError(404, "no control at /sim/\(segments.joined(separator: "/"))")
            }
        } catch {
            return Self.controlError(error.status, error.message)
        }
    }

    struct ControlError: Error {
        var status: Int
        var message: String
        init(_ status: Int, _ message: String) {
            self.status = status
            self.message = message
        }
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: return Double(number)
        case .double(let number)?: return number
        default: return nil
        }
    }

    static func controlError(_ status: Int, _ message: String) -> APIResponse {
        APIResponse(status: status, body: ["error": ["code": .int(Int64(status)), "message": .string(message)]])
    }

    private func clockJSON() -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("now", .string(cloud.wallClockTime)), ("seconds", .string(cloud.now.canonicalSeconds)), ("speed", .double(time.speed)),
            ("pendingEvents", .int(Int64(cloud.pendingEventCount))),
        ]
        switch time.mode {
        case .speed: fields.append(("mode", "speed"))
        case .manual(let tick):
            fields.append(("mode", "manual"))
            fields.append(("tickPerRequest", tick.map { .string($0.description) } ?? .null))
        }
        return .object(fields)
    }

    static func jsonBody(_ request: HTTPRequest) throws(ControlError) -> JSONValue {
        guard !request.body.isEmpty else { return .object([]) }
        do {
            let value = try JSONValue(parsing: request.body)
            guard value.objectValue != nil else { throw ControlError(400, "the body must be a JSON object") }
            return value
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError(400, "Malformed request body: \(error)")
        }
    }

    /// The query's last value per name, percent-decoded.
    static func query(_ text: Substring?) -> [String: String] {
        var values: [String: String] = [:]
        for pair in (text ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[percentDecoded(parts[0])] = parts.count > 1 ? percentDecoded(parts[1]) : ""
        }
        return values
    }

    /// `%XX` escapes and `+` decoded; an invalid escape or non-UTF-8 result stays as written.
    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? String(text)
    }
}
