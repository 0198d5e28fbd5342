import Foundation
import HarmonicTestSupport
import Testing

/// `harmonic dose imaging --modality planar_mv`: MV portal imaging organ doses through the course
/// site's photon port (RTDose `MVPortalImagingDose`, the same function as the store run's
/// `mv_dose_recorded` tier), with the `planar_mv_model` interval.
@Suite struct DoseImagingMVCommandTests {
    func organs(_ arguments: [String]) throws -> (organs: [String: [String: Double]], effective: Double) {
        let out = try PeerTool.run(try HarmonicExecutable.executable().path, ["dose", "imaging", "--modality", "planar_mv"] + arguments + ["--json"])
        let j = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        var organs: [String: [String: Double]] = [:]
        for o in try #require(j["organs"] as? [[String: Any]]) {
            organs[try #require(o["organ"] as? String)] = try #require(o["dose"] as? [String: Double])
        }
        let e = try #require((j["effectiveDose"] as? [String: Double])?["central"])
        return (organs, e)
    }

    @Test("organ doses are proportional to the isocentre dose summed over the sessions (5 x 20 mGy = 1 x 100 mGy)")
    func dosesScaleWithSessions() throws {
        let five = try organs(["--region", "thorax", "--age", "9", "--sex", "M", "--isocentre-dose", "20", "--sessions", "5"])
        let one = try organs(["--region", "thorax", "--age", "9", "--sex", "M", "--isocentre-dose", "100"])
        #expect(five.organs.keys == one.organs.keys && !one.organs.isEmpty)
        for (organ, d) in one.organs { #expect(abs((five.organs[organ]?["central"] ?? .nan) - d["central"]!) <= 1e-9 * d["central"]!, "\(organ)") }
        #expect(abs(five.effective - one.effective) <= 1e-9 * one.effective)
    }

    @Test("a thorax port doses the heart and lungs far more than the brain, the brain port the reverse; the interval is the planar_mv_model GSD 1.5 (x/÷ 1.5^1.96)")
    func portFollowsTheSite() throws {
        let thorax = try organs(["--region", "thorax", "--age", "9", "--sex", "F", "--isocentre-dose", "20"])
        let brain = try organs(["--region", "brain", "--age", "9", "--sex", "F", "--isocentre-dose", "20"])
        let heart = try #require(thorax.organs["heart"]?["central"]), brainInThorax = try #require(thorax.organs["brain"]?["central"])
        #expect(heart > 10 * brainInThorax)
        #expect(try #require(brain.organs["brain"]?["central"]) > 10 * (brain.organs["heart"]?["central"] ?? .infinity))
        // In-field organs take about the isocentre dose (mGy per mGy at the target), not more than 1.5 times it.
        #expect(heart > 0.2 * 20 && heart < 1.5 * 20, "heart \(heart) mGy for 20 mGy at the isocentre")
        let h = try #require(thorax.organs["heart"])
        #expect(abs(h["high95"]! / h["central"]! - pow(1.5, 1.959964)) < 1e-6)
        #expect(thorax.organs["testes"] == nil && thorax.organs["breast"] != nil, "organs of the child's sex only")
    }

    @Test("no isocentre dose, an implausible one or a region that is not a treatment site is refused with the reason; no default is assumed")
    func badInputRefused() throws {
        let exe = try HarmonicExecutable.executable().path
        let cases: [([String], String)] = [
            (["--region", "thorax", "--age", "9", "--sex", "M"], "--isocentre-dose"),
            (["--region", "thorax", "--age", "9", "--sex", "M", "--isocentre-dose", "2000"], "plausible"),
            (["--region", "chest", "--age", "9", "--sex", "M", "--isocentre-dose", "20"], "head_neck"),
            (["--region", "thorax", "--age", "9", "--sex", "M", "--isocentre-dose", "20", "--ctdivol", "3"], "CT quantities"),
        ]
        for (arguments, expected) in cases {
            do {
                try PeerTool.run(exe, ["dose", "imaging", "--modality", "planar_mv"] + arguments)
                Issue.record("accepted: \(arguments)")
            } catch let f as PeerTool.Failure {
                #expect(f.stderr.contains(expected), "\(arguments): \(f.stderr)")
            }
        }
    }
}
