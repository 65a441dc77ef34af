// Reading Strong and Hevy CSV exports into rows, and writing CSV. Internal to src/training (the
// import itself is history.cpp).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "training/history.hpp"

namespace gainsly::training::csv {

// One record of an RFC 4180 file (quoted fields may hold the delimiter, "" and line breaks).
struct Record {
    size_t line = 0;  // 1-based line where the record starts
    std::vector<std::string> fields;
    std::string error;  // non-empty: the record could not be split (an unterminated quote)
};

// ',' or ';', whichever the header line (outside quotes) holds more of.
char detect_delimiter(std::string_view text);

// Every record of `text` (a UTF-8 BOM is skipped, CRLF or LF). An unterminated quote fails its own
// record, and reading goes on at the line after the one it started on.
std::vector<Record> split(std::string_view text, char delimiter);

// One set row of an export, read and converted (kg, km, seconds), with its line.
struct Row {
    size_t line = 0;
    std::string start;         // "YYYY-MM-DDTHH:MM:SS", wall-clock time as written
    std::string workout_name;  // Strong "Workout Name", Hevy "title"
    std::string workout_notes;
    std::optional<int64_t> duration_seconds;
    std::string exercise;
    std::string set_type;  // "warmup", "working", "failure", "dropset"
    std::optional<double> weight_kg;
    std::optional<int64_t> reps;
    std::optional<double> distance_km;
    std::optional<double> seconds;
    std::optional<double> rpe;
    std::string notes;
    bool rest_timer = false;  // a Strong "Rest Timer" row: no set
    // Non-empty: the line failed. Its start and exercise are kept when they could be read, so the
    // positions of the later sets (and the uids derived from them) do not shift when it is fixed.
    std::string error;
};

struct Parsed {
    char delimiter = ',';
    size_t records = 0;  // data records (the header excluded)
    std::vector<Row> rows;  // every data record, failed ones with their error
};

// Reads a whole export. A header that lacks a required column throws Error(invalid) naming it.
Parsed read(HistoryFormat format, std::string_view text, bool imperial);

// Appends one CSV field, quoted when it holds the delimiter, a quote or a line break.
void append_field(std::string& out, std::string_view field, char delimiter = ',');

}  // namespace gainsly::training::csv
