// Every failure the API reports: a status and a message, sent as {"error": "..."}. The middleware
// turns whatever a handler, the router or Hummingbird throws into that shape.

import Foundation
import Hummingbird
import NeuralNet

/// A request the API refuses, with the status it gets.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    /// Extra headers, such as `Allow` on a 405.
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        plainResponse()
    }

    /// The response: the status, the headers and the JSON body.
    func plainResponse() -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: jsonBody))
    }

    /// `{"error": message}`.
    var jsonBody: ByteBuffer { ByteBuffer(string: "{\"error\":\(jsonString(message))}") }
}

/// Answers every error with a JSON body: our own `APIError`s as they are, Hummingbird's with
/// their status and message, anything else as a 500 (which should not happen).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let paths = Routes.methods.keys.sorted().joined(separator: ", ")
            return try APIError(.notFound, "no such route: \(request.uri.path); the server answers \(paths)")
                .response(from: request, context: context)
        } catch let error as HTTPError {
            return try APIError(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers)
                .response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try APIError(error.status, Self.message(for: error.status)).response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error: \(error)")
            return try APIError(.internalServerError, "internal error").response(from: request, context: context)
        }
    }

    /// What a status Hummingbird reports without a message means to the client.
    static func message(for status: HTTPResponse.Status) -> String {
        switch status {
        case .contentTooLarge: return "the request body is larger than \(Routes.maxBodyBytes) bytes"
        default: return status.reasonPhrase
        }
    }
}

extension HTTPResponse.Status {
    /// 507: the server has no room to store what was sent (RFC 4918); swift-http-types names no
    /// constant for it.
    static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
}
