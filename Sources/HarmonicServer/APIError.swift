import Foundation
import HTTPTypes
import Hummingbird

/// An error answered as JSON: `{"error": what went wrong, "fix": what to do about it}`.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let message: String
    public let fix: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String, fix: String) {
        self.status = status; self.message = message; self.fix = fix
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSON.response(["error": message, "fix": fix], status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}

/// JSON responses with the API's headers (no caching, no content sniffing).
enum JSON {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return e
    }

    static func response(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                                           HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        response((try? encoder().encode(value)) ?? Data("{}".utf8), status: status)
    }
}
