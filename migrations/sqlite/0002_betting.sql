-- Betting: tournaments, football teams, matches, enrolments, wallets, an
-- append-only ledger, bets, idempotency keys and maintained standings.

CREATE TABLE tournaments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  stages TEXT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL
);

CREATE TABLE football_teams (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE,
  flag TEXT NULL,
  created_at DATETIME NOT NULL
);

CREATE TABLE matches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tournament_id INTEGER NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
  external_key TEXT NULL,
  stage TEXT NOT NULL,
  group_name TEXT NOT NULL DEFAULT '',
  round TEXT NOT NULL DEFAULT '',
  kickoff DATETIME NOT NULL,
  home_team_id INTEGER NULL REFERENCES football_teams (id),
  away_team_id INTEGER NULL REFERENCES football_teams (id),
  home_label TEXT NOT NULL DEFAULT '',
  away_label TEXT NOT NULL DEFAULT '',
  venue TEXT NOT NULL DEFAULT '',
  odds_home INTEGER NULL,
  odds_draw INTEGER NULL,
  odds_away INTEGER NULL,
  status TEXT NOT NULL DEFAULT 'scheduled',
  ft_home INTEGER NULL,
  ft_away INTEGER NULL,
  et_home INTEGER NULL,
  et_away INTEGER NULL,
  pen_home INTEGER NULL,
  pen_away INTEGER NULL,
  settled_home INTEGER NULL,
  settled_away INTEGER NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  UNIQUE (tournament_id, external_key)
);
CREATE INDEX ix_matches_tournament_kickoff ON matches (tournament_id, kickoff);

CREATE TABLE enrollments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tournament_id INTEGER NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  starting_coins INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  UNIQUE (tournament_id, company_id)
);
CREATE INDEX ix_enrollments_company ON enrollments (company_id);

CREATE TABLE wallets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  company_id INTEGER NOT NULL,
  tournament_id INTEGER NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  balance INTEGER NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  UNIQUE (tournament_id, user_id)
);
CREATE INDEX ix_wallets_company ON wallets (company_id, tournament_id);

CREATE TABLE ledger (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  wallet_id INTEGER NOT NULL REFERENCES wallets (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL,
  tournament_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  amount INTEGER NOT NULL,
  bet_id INTEGER NULL,
  match_id INTEGER NULL,
  created_at DATETIME NOT NULL
);
CREATE INDEX ix_ledger_wallet ON ledger (wallet_id, id);
CREATE INDEX ix_ledger_company_day ON ledger (company_id, tournament_id, created_at);

CREATE TABLE bets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  company_id INTEGER NOT NULL,
  tournament_id INTEGER NOT NULL,
  match_id INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  wallet_id INTEGER NOT NULL REFERENCES wallets (id) ON DELETE CASCADE,
  pick TEXT NOT NULL,
  stake INTEGER NOT NULL,
  odds INTEGER NOT NULL,
  score_home INTEGER NULL,
  score_away INTEGER NULL,
  status TEXT NOT NULL,
  payout INTEGER NOT NULL DEFAULT 0,
  bonus INTEGER NOT NULL DEFAULT 0,
  placed_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  settled_at DATETIME NULL,
  UNIQUE (match_id, user_id)
);
CREATE INDEX ix_bets_match_company ON bets (match_id, company_id, status);
CREATE INDEX ix_bets_user ON bets (user_id, tournament_id, placed_at);

CREATE TABLE idempotency_keys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status_code INTEGER NOT NULL DEFAULT 0,
  response TEXT NULL,
  created_at DATETIME NOT NULL,
  UNIQUE (user_id, idem_key)
);

CREATE TABLE standings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tournament_id INTEGER NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  score INTEGER NOT NULL,
  correct_picks INTEGER NOT NULL DEFAULT 0,
  exact_scores INTEGER NOT NULL DEFAULT 0,
  settled_bets INTEGER NOT NULL DEFAULT 0,
  sort_key INTEGER GENERATED ALWAYS AS (-(score * 4294967296 + correct_picks * 65536 + exact_scores)) STORED,
  UNIQUE (tournament_id, user_id)
);
CREATE INDEX ix_standings_rank ON standings (tournament_id, company_id, sort_key, user_id);
