#!/usr/bin/env Rscript
# Writes the baseline tables that `harmonic risk` ships (Sources/RiskProjection/Resources/baselines/).
# Format: docs/risk-projection.md ("Baseline directory").
#
# 1. who-region1: cancer incidence, cancer mortality and all-cause mortality of the WHO global
#    region "Aus-NZ Europe Northern America", single years of age, as packaged in the CanEpiRisk
#    R package (K. Furukawa et al., https://github.com/KyojiFurukawa/CanEpiRisk, data/IARC_Incidence.rda
#    and data/IARC_Mortality.rda at commit given as argument 1; package source: IARC/WHO).
#    Sites mapped to BEIR VII sites; "other" = all solid cancers excluding non-melanoma skin minus the
#    named BEIR VII sites (stomach, colon, liver, lung, breast, prostate, bladder, thyroid); uterus and
#    ovary are not separated in the source, so they stay inside "other" and have no rows.
# 2. us-1999: United States 1999 all-cause life table (the life table year BEIR VII used, BEIR VII
#    Phase 2, ch. 12), from survexp.us of the R survival package (US decennial/annual life tables,
#    daily hazards by single year of age). Only the life table: SEER 1995-1999 site-specific rates are
#    not available here, so us-1999 supports the EAR-only breast model and nothing else.
#
# Usage: Rscript scripts/generate_risk_baselines.R /path/to/CanEpiRisk-git-dir [commit]
args <- commandArgs(trailingOnly = TRUE)
gitdir <- args[1]; commit <- if (length(args) > 1) args[2] else "HEAD"
out <- "Sources/RiskProjection/Resources/baselines"
tmp <- tempfile(); dir.create(tmp)
for (f in c("IARC_Incidence", "IARC_Mortality")) {
  system2("git", c(paste0("--git-dir=", gitdir), "show", paste0(commit, ":data/", f, ".rda")),
          stdout = file.path(tmp, paste0(f, ".rda")))
  load(file.path(tmp, paste0(f, ".rda")))
}
sha <- system2("git", c(paste0("--git-dir=", gitdir), "rev-parse", commit), stdout = TRUE)
region <- "Aus-NZ Europe Northern America"
inc <- Incidence[[region]]; mort <- Mortality[[region]]
sites <- c(stomach = "stomach", colon = "colon", liver = "liver", lung = "lung", breast = "breast",
           prostate = "prostate", bladder = "bladder", thyroid = "thyroid", leukaemia = "leukaemia")
header <- function(kind) c(
  paste0("# ", kind, " of WHO region 'Aus-NZ Europe Northern America' (IARC/WHO data as packaged in CanEpiRisk,"),
  paste0("# https://github.com/KyojiFurukawa/CanEpiRisk commit ", sha, "); written by scripts/generate_risk_baselines.R."),
  "# Row age k of the source is the age interval [k-1, k). 'other' = allsolid-NMSC minus the named sites.")
rates <- function(tab, kind) {
  rows <- character(0)
  for (sex in c("M", "F")) {
    col <- if (sex == "M") "male" else "female"
    named <- 0
    for (s in names(sites)) {
      if ((s == "breast" && sex == "M") || (s == "prostate" && sex == "F")) next
      d <- tab[[sites[[s]]]]
      if (s != "leukaemia") named <- named + d[[col]]
      rows <- c(rows, sprintf("%s,%d,%d,%s,%.6g", sex, d$age - 1, d$age, s, 1e5 * d[[col]]))
    }
    all <- tab[["allsolid-NMSC"]]
    other <- pmax(0, all[[col]] - named)
    rows <- c(rows, sprintf("%s,%d,%d,other,%.6g", sex, all$age - 1, all$age, 1e5 * other))
  }
  c(header(kind), "sex,age_from,age_to,site,rate_per_100000", rows)
}
dir.create(file.path(out, "who-region1"), recursive = TRUE, showWarnings = FALSE)
writeLines(rates(inc, "Cancer incidence per 100,000 person-years"), file.path(out, "who-region1", "incidence.csv"))
writeLines(rates(mort, "Cancer mortality per 100,000 person-years"), file.path(out, "who-region1", "mortality.csv"))
ac <- mort$allcause
lt <- c(header("All-cause mortality"), "sex,age,death_probability",
        sprintf("M,%d,%.6g", ac$age - 1, 1 - exp(-ac$male)), sprintf("F,%d,%.6g", ac$age - 1, 1 - exp(-ac$female)))
writeLines(lt, file.path(out, "who-region1", "life_table.csv"))

library(survival)
h <- survexp.us[, , "1999"]            # daily hazard, ages 0..109
ages <- as.integer(dimnames(survexp.us)[[1]])
q <- function(sex) 1 - exp(-365.25 * h[, sex])
dir.create(file.path(out, "us-1999"), recursive = TRUE, showWarnings = FALSE)
writeLines(c("# United States 1999 all-cause life table (BEIR VII Phase 2 ch. 12 used the 1999 US life table),",
             "# from survexp.us of the R survival package (daily hazards x 365.25); scripts/generate_risk_baselines.R.",
             "# No site-specific rates: SEER 1995-1999 tables are not shipped (see docs/risk-projection.md).",
             "sex,age,death_probability",
             sprintf("M,%d,%.6g", ages, q("male")), sprintf("F,%d,%.6g", ages, q("female"))),
           file.path(out, "us-1999", "life_table.csv"))
