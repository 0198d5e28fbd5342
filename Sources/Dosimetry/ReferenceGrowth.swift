import Foundation

/// Median body weight by age for children whose weight was not recorded: WHO child growth
/// standards (0-5 years, 2006) and WHO 2007 growth reference (5-19 years), sexes averaged.
/// The spread of weight at a given age is about ±15% (1 SD on the log scale ≈ 0.15, same sources).
public enum ReferenceGrowth {
    static let ages: [Double] = [0, 0.25, 0.5, 1, 2, 3, 5, 8, 10, 12, 15, 18, 30]
    static let weights: [Double] = [3.3, 6.0, 7.6, 9.6, 12.2, 14.3, 18.3, 25.6, 32.0, 40.5, 56.0, 64.0, 70.0]
    /// Log-scale SD of weight at a given age (WHO standards: ~0.12-0.18 across ages).
    public static let logWeightSD = 0.15

    /// Median weight (kg) at `age` years, linear between the table's ages.
    public static func medianWeight(age: Double) -> Double {
        let a = max(0, min(age, ages[ages.count - 1]))
        var i = 1
        while i < ages.count - 1 && ages[i] < a { i += 1 }
        let t = (a - ages[i - 1]) / (ages[i] - ages[i - 1])
        return weights[i - 1] + t * (weights[i] - weights[i - 1])
    }
}
