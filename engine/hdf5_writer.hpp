// Writes reports to one HDF5 file in the NetCDF-4 layout (dimension scales, coordinate
// variables, units and long_name), so xarray and h5py both read it. The file is written
// under a temporary name in the same directory and renamed only by Finish(); a writer
// destroyed before that removes the temporary file and leaves any existing file alone.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/report.hpp"
#include "engine/spec.hpp"
#include "engine/targets.hpp"

namespace talentflow {

// A problem the user can fix (bad path, no permission): reported with exit code 2.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OutputCoordinates {
  std::vector<std::string> regions, region_groups, talent_types, sectors, ownerships, levers;
  std::vector<double> time_days;  // end of each reporting step, days since time_origin
  std::string time_units;         // "days since YYYY-MM-01"
};

struct RunMeta {
  std::string scenario_given, scenario_resolved;
  std::uint64_t seed = 0;
  int threads = 0;
  std::string start_time;  // ISO 8601, UTC
  double wall_seconds = 0;
};

// Days from 1970-01-01 to the first day of a month (proleptic Gregorian).
std::int64_t DaysFromCivil(int year, int month, int day);
// The time coordinate of a run: the end of each reporting step in days since its first month.
std::vector<double> ReportTimes(int start_year, int start_month, int steps, int report_every);

// The coordinates of a run's output: names from the scenario, one time per reporting step.
OutputCoordinates CoordinatesFor(const ScenarioSpec& spec);

class Hdf5Writer {
 public:
  Hdf5Writer(const std::string& path, const OutputCoordinates& coords, int compression);
  ~Hdf5Writer();
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  void Write(int index, const Report& report);
  // The /targets group: one entry per scenario target along the `target` dimension.
  void WriteTargets(const std::vector<TargetResult>& results);
  void Finish(const RunMeta& meta);  // writes /meta, closes and renames into place
  const std::string& temp_path() const { return temp_path_; }

 private:
  hid_t DimensionScale(const std::string& name) const;
  void Close();

  std::string path_, temp_path_;
  hid_t file_ = -1;
  std::vector<hid_t> datasets_;  // one per OutputVariables() entry
  std::vector<std::vector<hsize_t>> shapes_;
  std::vector<std::pair<std::string, hid_t>> scales_;
  bool finished_ = false;
};

}  // namespace talentflow
