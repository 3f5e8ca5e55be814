// The one list of built-in readers: add one #include and one r.add(...) line per reader.
#include "core/io/csv_reader.h"
#include "core/io/dvclive_reader.h"
#include "core/io/hf_trainer_reader.h"
#include "core/io/hparams_yaml_reader.h"
#include "core/io/jsonl_reader.h"
#include "core/io/learning_curve_reader.h"
#include "core/io/mlflow_file_reader.h"
#include "core/io/mlflow_sql_reader.h"
#include "core/io/optuna_journal_reader.h"
#include "core/io/optuna_sql_reader.h"
#include "core/io/prediction_reader.h"
#include "core/io/reader.h"
#include "core/io/tfevents_reader.h"
#include "core/io/wandb_binary_reader.h"
#include "core/io/wandb_csv_reader.h"
#include "core/io/wandb_run_reader.h"

#include <memory>

namespace runlens {

ReaderRegistry ReaderRegistry::withBuiltins() {
    ReaderRegistry r;
    // File readers (order breaks confidence ties: earlier wins).
    r.add(std::make_unique<CsvReader>());
    r.add(std::make_unique<JsonlReader>());
    r.add(std::make_unique<HparamsYamlReader>());
    r.add(std::make_unique<HfTrainerStateReader>());
    r.add(std::make_unique<HfResultsJsonReader>());
    r.add(std::make_unique<WandbCsvReader>());
    r.add(std::make_unique<LearningCurveReader>());
    r.add(std::make_unique<TfEventsReader>());
    r.add(std::make_unique<MlflowSqlReader>());
    r.add(std::make_unique<OptunaSqlReader>());
    r.add(std::make_unique<OptunaJournalReader>());
    r.add(std::make_unique<PredictionLogReader>());
    r.add(std::make_unique<WandbBinaryReader>());
    // Directory readers.
    r.add(std::make_unique<DvcLiveReader>());
    r.add(std::make_unique<MlflowFileStoreReader>());
    r.add(std::make_unique<WandbRunFolderReader>());
    return r;
}

} // namespace runlens
