// HDF5 output in the NetCDF-4 layout. Variables are chunked one reporting step per chunk
// and deflate-compressed; strings are variable-length UTF-8 as netCDF-4 expects.
#include "engine/hdf5_writer.hpp"

#include <fmt/format.h>
#include <hdf5_hl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "engine/output_schema.hpp"
#include "engine/version.hpp"

namespace talentflow {
namespace {

void Check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5 error: " + what);
}
hid_t CheckId(hid_t id, const std::string& what) {
  if (id < 0) throw std::runtime_error("HDF5 error: " + what);
  return id;
}

hid_t StringType() {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

void StringAttribute(hid_t object, const char* name, const std::string& value) {
  const hid_t type = StringType();
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attr = CheckId(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT),
                             std::string("attribute ") + name);
  const char* data = value.c_str();
  Check(H5Awrite(attr, type, &data), std::string("attribute ") + name);
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
}

template <class T>
void NumberAttribute(hid_t object, const char* name, hid_t type, T value) {
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attr = CheckId(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT),
                             std::string("attribute ") + name);
  Check(H5Awrite(attr, type, &value), std::string("attribute ") + name);
  H5Aclose(attr);
  H5Sclose(space);
}

hid_t StringDataset(hid_t file, const std::string& name, const std::vector<std::string>& values) {
  const hid_t type = StringType();
  const hsize_t n = values.size();
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t ds =
      CheckId(H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              "dataset " + name);
  if (n > 0) {
    std::vector<const char*> ptrs;
    for (const auto& v : values) ptrs.push_back(v.c_str());
    Check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "dataset " + name);
  }
  H5Sclose(space);
  H5Tclose(type);
  return ds;
}

}  // namespace

std::int64_t DaysFromCivil(int year, int month, int day) {
  // Howard Hinnant's algorithm.
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::vector<double> ReportTimes(int start_year, int start_month, int steps, int report_every) {
  const std::int64_t origin = DaysFromCivil(start_year, start_month, 1);
  std::vector<double> times;
  for (int end = report_every;; end += report_every) {
    const int months = std::min(end, steps);  // the step ends at the start of this month
    const int total = (start_month - 1) + months;
    times.push_back(
        static_cast<double>(DaysFromCivil(start_year + total / 12, total % 12 + 1, 1) - origin));
    if (end >= steps) break;
  }
  return times;
}

OutputCoordinates CoordinatesFor(const ScenarioSpec& spec) {
  OutputCoordinates coords;
  for (const auto& r : spec.regions) {
    coords.regions.push_back(r.name);
    coords.region_groups.push_back(r.group);
  }
  for (const auto& t : spec.talent_types) coords.talent_types.push_back(t.name);
  for (const auto& s : spec.sectors) coords.sectors.push_back(s.name);
  for (const auto& o : spec.ownerships) coords.ownerships.push_back(o.name);
  for (const auto& p : spec.policies) coords.levers.push_back(p.instance);
  coords.time_days =
      ReportTimes(spec.run.start_year, spec.run.start_month, spec.run.steps, spec.run.report_every);
  coords.time_units = fmt::format("days since {:04d}-{:02d}-01 00:00:00", spec.run.start_year,
                                  spec.run.start_month);
  return coords;
}

Hdf5Writer::Hdf5Writer(const std::string& path, const OutputCoordinates& coords, int compression)
    : path_(path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw OutputError(path + ": output directory '" + dir.string() + "' does not exist");
  }
  if (fs::is_directory(target, ec)) throw OutputError(path + ": is a directory");
  std::string temp_name = target.filename().string();
  temp_name.insert(0, 1, '.');
  temp_name.append(".tmp-XXXXXX");
  std::string pattern = (dir / temp_name).string();
  const int fd = mkstemp(pattern.data());
  if (fd < 0) {
    throw OutputError(path + ": cannot create a file in '" + dir.string() +
                      "': " + std::strerror(errno));
  }
  // mkstemp creates the file private; give the output the permissions any new file gets.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  temp_path_ = pattern;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not prints
  file_ = H5Fcreate(temp_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file_ < 0) {
    std::remove(temp_path_.c_str());
    throw OutputError(path + ": cannot create HDF5 file");
  }
  try {
    StringAttribute(file_, "Conventions", "CF-1.8");
    StringAttribute(file_, "title", "talentflow simulation output");
    StringAttribute(file_, "source",
                    std::string("talentflow ") + kEngineVersion + " (" + kGitRevision + ")");
    // Coordinate variables double as the dimension scales.
    const hsize_t n_time = coords.time_days.size();
    {
      const hid_t space = H5Screate_simple(1, &n_time, nullptr);
      const hid_t ds = CheckId(
          H5Dcreate2(file_, "time", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
          "time");
      Check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, coords.time_days.data()),
            "time");
      StringAttribute(ds, "units", coords.time_units);
      StringAttribute(ds, "calendar", "standard");
      StringAttribute(ds, "long_name", "end of the reporting step");
      StringAttribute(ds, "standard_name", "time");
      Check(H5DSset_scale(ds, "time"), "time scale");
      H5Sclose(space);
      scales_.push_back({"time", ds});
    }
    const auto add_names = [&](const char* dim, const std::vector<std::string>& names,
                               const char* long_name) {
      const hid_t ds = StringDataset(file_, dim, names);
      StringAttribute(ds, "long_name", long_name);
      Check(H5DSset_scale(ds, dim), std::string(dim) + " scale");
      scales_.push_back({dim, ds});
    };
    add_names("region", coords.regions, "region of residence or workplace");
    add_names("talent_type", coords.talent_types, "talent type");
    add_names("sector", coords.sectors, "sector");
    add_names("ownership", coords.ownerships, "ownership kind of the employer");
    add_names("origin", coords.regions, "region moved from");
    add_names("destination", coords.regions, "region moved to");
    add_names("origin_sector", coords.sectors, "sector moved from");
    add_names("destination_sector", coords.sectors, "sector moved to");
    add_names("origin_ownership", coords.ownerships, "ownership kind moved from");
    add_names("destination_ownership", coords.ownerships, "ownership kind moved to");
    add_names("lever", coords.levers, "policy lever instance");
    {
      const hid_t ds = StringDataset(file_, "region_group", coords.region_groups);
      StringAttribute(ds, "long_name", "group the region belongs to");
      StringAttribute(ds, "units", "1");
      Check(H5DSattach_scale(ds, DimensionScale("region"), 0), "region_group");
      H5Dclose(ds);
    }
    const auto dim_size = [&](Dim d) -> hsize_t {
      switch (d) {
        case Dim::kRegion:
        case Dim::kOrigin:
        case Dim::kDestination:
          return coords.regions.size();
        case Dim::kTalentType:
          return coords.talent_types.size();
        case Dim::kSector:
        case Dim::kOriginSector:
        case Dim::kDestinationSector:
          return coords.sectors.size();
        case Dim::kOwnership:
        case Dim::kOriginOwnership:
        case Dim::kDestinationOwnership:
          return coords.ownerships.size();
        case Dim::kLever:
          return coords.levers.size();
      }
      return 0;
    };
    for (const auto& v : OutputVariables()) {
      std::vector<hsize_t> shape = {n_time};
      hsize_t row = 1;
      for (Dim d : v.dims) {
        shape.push_back(dim_size(d));
        row *= shape.back();
      }
      const hid_t space = H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr);
      const hid_t props = H5Pcreate(H5P_DATASET_CREATE);
      if (!v.dims.empty() && row > 0 && n_time > 0) {
        std::vector<hsize_t> chunk = shape;
        chunk[0] = 1;
        Check(H5Pset_chunk(props, static_cast<int>(chunk.size()), chunk.data()), v.name);
        if (compression > 0) {
          H5Pset_shuffle(props);
          H5Pset_deflate(props, static_cast<unsigned>(compression));
        }
      }
      const hid_t type = v.integers ? H5T_STD_I64LE : H5T_IEEE_F64LE;
      const hid_t ds =
          CheckId(H5Dcreate2(file_, v.name, type, space, H5P_DEFAULT, props, H5P_DEFAULT), v.name);
      StringAttribute(ds, "units", v.units);
      StringAttribute(ds, "long_name", v.long_name);
      Check(H5DSattach_scale(ds, DimensionScale("time"), 0), v.name);
      for (std::size_t i = 0; i < v.dims.size(); ++i) {
        Check(
            H5DSattach_scale(ds, DimensionScale(DimName(v.dims[i])), static_cast<unsigned>(i + 1)),
            v.name);
      }
      H5Pclose(props);
      H5Sclose(space);
      datasets_.push_back(ds);
      shapes_.push_back(shape);
    }
  } catch (...) {
    Close();
    std::remove(temp_path_.c_str());
    throw;
  }
}

hid_t Hdf5Writer::DimensionScale(const std::string& name) const {
  for (const auto& [n, id] : scales_) {
    if (n == name) return id;
  }
  throw std::runtime_error("no dimension scale " + name);
}

void Hdf5Writer::Write(int index, const Report& report) {
  const auto& variables = OutputVariables();
  for (std::size_t i = 0; i < variables.size(); ++i) {
    const auto& v = variables[i];
    std::vector<hsize_t> start(shapes_[i].size(), 0), count = shapes_[i];
    start[0] = static_cast<hsize_t>(index);
    count[0] = 1;
    hsize_t elements = 1;
    for (hsize_t c : count) elements *= c;
    if (elements == 0) continue;
    const hid_t file_space = H5Dget_space(datasets_[i]);
    Check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(),
                              nullptr),
          v.name);
    const hid_t mem_space = H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr);
    const void* data = v.integers ? static_cast<const void*>((report.*v.integers).data())
                       : v.reals  ? static_cast<const void*>((report.*v.reals).data())
                                  : static_cast<const void*>(&(report.*v.scalar));
    const hid_t mem_type = v.integers ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
    const herr_t status =
        H5Dwrite(datasets_[i], mem_type, mem_space, file_space, H5P_DEFAULT, data);
    H5Sclose(mem_space);
    H5Sclose(file_space);
    Check(status, std::string("writing ") + v.name);
  }
}

void Hdf5Writer::WriteTargets(const std::vector<TargetResult>& results) {
  const hid_t group =
      CheckId(H5Gcreate2(file_, "targets", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "targets");
  std::vector<std::string> names, indicators, units, comparisons, overs;
  std::vector<double> values, achieved, scales;
  std::vector<std::int8_t> met;
  for (const TargetResult& r : results) {
    names.push_back(r.name);
    indicators.push_back(r.indicator);
    units.push_back(r.units);
    comparisons.push_back(ComparisonName(r.comparison));
    overs.push_back(AggregationName(r.over));
    values.push_back(r.value);
    achieved.push_back(r.achieved);
    scales.push_back(r.scale);
    met.push_back(r.met ? 1 : 0);
  }
  const hid_t scale = StringDataset(group, "target", names);
  StringAttribute(scale, "long_name", "target name from the scenario");
  Check(H5DSset_scale(scale, "target"), "target scale");
  const hsize_t n = results.size();
  const auto finish = [&](hid_t ds, const char* name, const char* units, const char* long_name) {
    if (units != nullptr) StringAttribute(ds, "units", units);
    StringAttribute(ds, "long_name", long_name);
    Check(H5DSattach_scale(ds, scale, 0), name);
    H5Dclose(ds);
  };
  const auto numbers = [&](const char* name, hid_t file_type, hid_t mem_type, const void* data,
                           const char* units, const char* long_name) {
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t ds = CheckId(
        H5Dcreate2(group, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), name);
    if (n > 0) Check(H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), name);
    H5Sclose(space);
    finish(ds, name, units, long_name);
  };
  finish(StringDataset(group, "indicator", indicators), "indicator", nullptr,
         "output variable the target is about");
  finish(StringDataset(group, "indicator_units", units), "indicator_units", nullptr,
         "units of the indicator, and so of value and achieved");
  finish(StringDataset(group, "comparison", comparisons), "comparison", nullptr,
         "at_least or at_most");
  finish(StringDataset(group, "over", overs), "over", nullptr,
         "how the reporting steps are combined: sum, last, mean, min or max");
  numbers("value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values.data(), nullptr,
          "the target as written in the scenario (real people for extensive indicators)");
  numbers("achieved", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, achieved.data(), nullptr,
          "the run's value, model counts times scale; NaN where undefined");
  numbers("scale", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scales.data(), "persons/worker",
          "factor applied to the model's value: population.represents / population.workers for "
          "extensive indicators, else 1");
  numbers("met", H5T_STD_I8LE, H5T_NATIVE_INT8, met.data(), "1",
          "1 when achieved satisfies the comparison with value");
  H5Dclose(scale);
  H5Gclose(group);
}

void Hdf5Writer::Finish(const RunMeta& meta) {
  const hid_t group =
      CheckId(H5Gcreate2(file_, "meta", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "meta");
  StringAttribute(group, "scenario_given", meta.scenario_given);
  StringAttribute(group, "scenario_resolved", meta.scenario_resolved);
  NumberAttribute(group, "seed", H5T_NATIVE_UINT64, meta.seed);
  NumberAttribute(group, "threads", H5T_NATIVE_INT, meta.threads);
  StringAttribute(group, "engine_version", kEngineVersion);
  StringAttribute(group, "git_revision", kGitRevision);
  StringAttribute(group, "start_time", meta.start_time);
  NumberAttribute(group, "wall_seconds", H5T_NATIVE_DOUBLE, meta.wall_seconds);
  H5Gclose(group);
  Close();
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec) {
    std::remove(temp_path_.c_str());
    throw OutputError(path_ + ": cannot move the finished output into place: " + ec.message());
  }
  finished_ = true;
}

void Hdf5Writer::Close() {
  for (hid_t ds : datasets_) H5Dclose(ds);
  datasets_.clear();
  for (auto& [name, ds] : scales_) H5Dclose(ds);
  scales_.clear();
  if (file_ >= 0) H5Fclose(file_);
  file_ = -1;
}

Hdf5Writer::~Hdf5Writer() {
  Close();
  if (!finished_ && !temp_path_.empty()) std::remove(temp_path_.c_str());
}

}  // namespace talentflow
