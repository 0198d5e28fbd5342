import Dosimetry
import Foundation
import Hummingbird

/// `GET /api/dose/estimate?age=&weight=&kap=&procedure=…`: the quick calculator, answering the
/// same JSON document as `harmonic dose estimate --json` (`DoseEstimateReport`). Any signed-in
/// role; reads no registry data.
struct DoseEstimateRoute {
    /// The default coefficient library, loaded once on first use.
    static let source: Result<(source: any OrganDoseCoefficientSource, identity: String), any Error> = Result { try DefaultCoefficientSource.load() }

    func register(_ router: Router<ServerContext>) {
        router.get("/api/dose/estimate") { request, context -> Response in
            _ = try context.requireSession()
            let report = try await Self.estimate(request.uri.queryParameters)
            // The CLI prints the document and a line end: the same bytes here.
            return JSON.response(try report.json() + Data("\n".utf8))
        }
    }

    /// The estimate for the query's parameters, or a 400 naming the parameter and its value
    /// (shared by the API and the calculator page).
    static func estimate(_ q: Parameters) async throws -> DoseEstimateReport {
        func number(_ name: String, required: Bool = false, what: String) throws -> Double? {
            guard let text = q[name[...]].map(String.init), !text.isEmpty else {
                if required { throw APIError(.badRequest, "query parameter \(name) is missing", fix: "give \(name)=\(what)") }
                return nil
            }
            guard let v = Double(text), v.isFinite else {
                throw APIError(.badRequest, "query parameter \(name)='\(text)' is not a number", fix: "give \(name)=\(what) (a decimal with a point)")
            }
            return v
        }
        let age = try number("age", required: true, what: "the age at the procedure in years, 0-18")!
        let kap = try number("kap", required: true, what: "the total kerma-area product in Gy·cm²")!
        let weight = try number("weight", what: "the body weight in kg")
        let kvp = try number("kvp", what: "the tube voltage in kV")
        let copper = try number("copper", what: "the added copper filtration in mm")
        let year = try number("year", what: "the calendar year of the procedure") ?? 2020
        // A whole number in range before converting: Int(1e300) would trap and take the server down.
        let realisations = try number("realisations", what: "the number of realisations, 1-100000").map { v -> Int in
            guard v == v.rounded(), (1...100_000).contains(v) else {
                throw APIError(.badRequest, "query parameter realisations='\(q["realisations"] ?? "")' is not a whole number 1-100000",
                               fix: "give realisations=2000 (or any whole number 1-100000)")
            }
            return Int(v)
        } ?? 2000
        let sex = q["sex"].map(String.init) ?? "F", procedure = q["procedure"].map(String.init) ?? "diagnostic"
        let projections = q["projections"].map(String.init)
        let (source, identity) = try Self.source.get()
        do {
            return try await HarmonicServer.blocking {
                try DoseEstimateReport.estimate(source: source, identity: identity, age: age, sex: sex, weightKg: weight,
                                                kapGyCm2: kap, procedure: procedure, kVp: kvp, copperMm: copper,
                                                projections: projections, year: year, realisations: realisations)
            }
        } catch let e as DoseModelError {
            throw APIError(.badRequest, e.description, fix: "correct that parameter (GET /openapi.yaml lists them with their units)")
        }
    }
}
