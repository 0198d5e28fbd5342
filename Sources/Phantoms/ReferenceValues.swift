import HarmonicCore

/// The reference ages of the stylised family (Cristy & Eckerman, ORNL/TM-8381, 1987).
public enum ReferenceAge: Int, CaseIterable, Sendable, Codable {
    case newborn = 0, one = 1, five = 5, ten = 10, fifteen = 15, adult = 30

    /// Nearest reference age to an age in years (midpoints, as PCXMC picks its phantom).
    public static func nearest(to years: Double) -> ReferenceAge {
        switch years {
        case ..<0.5: .newborn
        case ..<3: .one
        case ..<7.5: .five
        case ..<12.5: .ten
        case ..<17.5: .fifteen
        default: .adult
        }
    }

    var index: Int { ReferenceAge.allCases.firstIndex(of: self)! }
    public var label: String { self == .newborn ? "newborn" : self == .adult ? "adult" : "\(rawValue) y" }
}

/// ICRP Publication 89 (2002) reference values: body height and mass (Table 2.9) and organ
/// masses (Table 2.8), for newborn, 1, 5, 10, 15 years and adult; 15 y and adult per sex.
/// Transcribed by hand; values marked "approx." in comments are not ICRP 89 entries.
/// Checked 2026-11-23 against two reproductions of ICRP 89: Turner, "Atoms, Radiation, and
/// Radiation Protection" (3rd ed.) Table 16.1 (all ages: heights/masses, stomach and small
/// intestine walls, liver, lungs with blood, spleen, thymus, thyroid, kidneys, testes, ovaries,
/// uterus — the newborn uterus is 4.0 g, corrected from 10 g) and J. Nucl. Med. (SNMMI) Table 2
/// (adult man and woman, all organs listed here: heart with blood 840/620 g = wall 330/250 g +
/// blood 510/370 g, colon walls 150+150+70 / 145+145+70 g, gallbladder wall + bile 68/56 g).
/// The other child values (adrenals, brain, breast, oesophagus, colon, gallbladder, pancreas,
/// heart, bladder, salivary glands, eye lens, prostate) were not found in a reproduction here.
public enum ICRP89 {
    /// Standing height (cm), Table 2.9: [newborn, 1, 5, 10, 15, adult].
    public static func height(_ age: ReferenceAge, _ sex: Sex) -> Double {
        let m: [Double] = [51, 76, 109, 138, 167, 176], f: [Double] = [51, 76, 109, 138, 161, 163]
        return (sex == .male ? m : f)[age.index]
    }
    /// Body mass (kg), Table 2.9.
    public static func bodyMass(_ age: ReferenceAge, _ sex: Sex) -> Double {
        let m: [Double] = [3.5, 10, 19, 32, 56, 73], f: [Double] = [3.5, 10, 19, 32, 53, 60]
        return (sex == .male ? m : f)[age.index]
    }

    /// Organ (wall) mass in grams, ICRP 89 Table 2.8, [newborn, 1, 5, 10, 15, adult].
    /// nil where the phantom has no such organ for this sex.
    public static func organMass(_ organ: Organ, _ age: ReferenceAge, _ sex: Sex) -> Double? {
        let male = sex == .male
        func v(_ a: [Double], _ fa: [Double]? = nil) -> Double { (male ? a : (fa ?? a))[age.index] }
        switch organ {
        case .adrenals: return v([6, 4, 5, 7, 10, 14], [6, 4, 5, 7, 9, 13])
        case .brain: return v([380, 950, 1310, 1400, 1420, 1450], [380, 950, 1310, 1400, 1300, 1300])
        case .breast: return v([0.4, 0.7, 1.2, 2.0, 15, 25], [0.4, 0.7, 1.2, 2.0, 250, 500])
        case .oesophagus: return v([2, 5, 10, 18, 30, 40], [2, 5, 10, 18, 30, 35])
        case .stomach: return v([7, 20, 50, 85, 120, 150], [7, 20, 50, 85, 120, 140])
        case .smallIntestine: return v([30, 85, 220, 370, 520, 650], [30, 85, 220, 370, 520, 600])
        case .colon: return v([17, 50, 120, 210, 320, 370], [17, 50, 120, 210, 320, 360])
        case .liver: return v([130, 330, 570, 830, 1300, 1800], [130, 330, 570, 830, 1300, 1400])
        case .gallbladder: return v([0.5, 1.4, 2.6, 4.4, 7.7, 10], [0.5, 1.4, 2.6, 4.4, 7.7, 8])
        case .pancreas: return v([6, 20, 35, 60, 110, 140], [6, 20, 35, 60, 100, 120])
        case .heart: return v([20, 50, 85, 140, 230, 330], [20, 50, 85, 140, 220, 250])
        case .lungs: return v([60, 150, 300, 500, 900, 1200], [60, 150, 300, 500, 750, 950])
        case .kidneys: return v([25, 70, 110, 180, 250, 310], [25, 70, 110, 180, 240, 275])
        case .bladder: return v([4, 9, 16, 25, 40, 50], [4, 9, 16, 25, 35, 40])
        case .spleen: return v([9.5, 29, 50, 80, 130, 150], [9.5, 29, 50, 80, 130, 130])
        case .thymus: return v([13, 30, 30, 40, 35, 25], [13, 30, 30, 40, 30, 20])
        case .thyroid: return v([1.3, 1.8, 3.4, 7.9, 12, 20], [1.3, 1.8, 3.4, 7.9, 12, 17])
        case .salivaryGlands: return v([6, 24, 34, 44, 68, 85], [6, 24, 34, 44, 65, 70])
        case .eyeLens: return v([0.15, 0.25, 0.35, 0.42, 0.4, 0.4])
        case .testes: return male ? v([0.85, 1.5, 1.7, 2, 16, 35]) : nil
        case .prostate: return male ? v([0.8, 1.0, 1.2, 1.6, 4.3, 17]) : nil
        case .ovaries: return male ? nil : v([0.3, 0.8, 2, 3.5, 6, 11])
        case .uterus: return male ? nil : v([4.0, 1.5, 3, 4, 30, 80])   // newborn 4.0 g (was 10; corrected)
        default: return nil
        }
    }

    /// Total skeleton mass (g) including marrow and cartilage, ICRP 89 Table 2.8.
    public static func skeletonMass(_ age: ReferenceAge, _ sex: Sex) -> Double {
        (sex == .male ? [370, 1170, 2430, 4500, 7950, 10500] : [370, 1170, 2430, 4500, 7180, 7800] as [Double])[age.index]
    }
    /// Active (red) marrow mass (g), ICRP 89 Table 2.8.
    public static func redMarrowMass(_ age: ReferenceAge, _ sex: Sex) -> Double {
        (sex == .male ? [50, 150, 340, 630, 1080, 1170] : [50, 150, 340, 630, 1000, 900] as [Double])[age.index]
    }

    /// Contents-to-wall mass ratios for hollow organs (ICRP 89 Table 2.8 adult contents over
    /// adult wall: heart blood 510/330, stomach 250/150, SI 350/650, colon 390/370,
    /// bladder 200/50 (approx., urine volume varies), gallbladder bile 58/10), applied at all ages.
    static func contentsRatio(_ organ: Organ) -> Double {
        switch organ {
        case .heart: 1.55
        case .stomach: 1.67
        case .smallIntestine: 0.54
        case .colon: 1.05
        case .bladder: 2.0
        case .gallbladder: 5.8
        default: 0
        }
    }
}
