-- Betting: tournaments, football teams, matches, enrolments, wallets, an
-- append-only ledger, bets, idempotency keys and maintained standings.

CREATE TABLE tournaments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(120) NOT NULL,
  stages TEXT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uq_tournaments_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE football_teams (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(80) NOT NULL,
  code VARCHAR(8) NOT NULL,
  flag VARCHAR(40) NULL,
  created_at DATETIME(3) NOT NULL,
  UNIQUE KEY uq_football_teams_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE matches (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tournament_id BIGINT NOT NULL,
  external_key VARCHAR(120) NULL,
  stage VARCHAR(20) NOT NULL,
  group_name VARCHAR(10) NOT NULL DEFAULT '',
  round VARCHAR(60) NOT NULL DEFAULT '',
  kickoff DATETIME(3) NOT NULL,
  home_team_id BIGINT NULL,
  away_team_id BIGINT NULL,
  home_label VARCHAR(60) NOT NULL DEFAULT '',
  away_label VARCHAR(60) NOT NULL DEFAULT '',
  venue VARCHAR(120) NOT NULL DEFAULT '',
  odds_home INT NULL,
  odds_draw INT NULL,
  odds_away INT NULL,
  status VARCHAR(12) NOT NULL DEFAULT 'scheduled',
  ft_home INT NULL,
  ft_away INT NULL,
  et_home INT NULL,
  et_away INT NULL,
  pen_home INT NULL,
  pen_away INT NULL,
  settled_home INT NULL,
  settled_away INT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  KEY ix_matches_tournament_kickoff (tournament_id, kickoff),
  UNIQUE KEY uq_matches_external (tournament_id, external_key),
  CONSTRAINT fk_matches_tournament FOREIGN KEY (tournament_id) REFERENCES tournaments (id) ON DELETE CASCADE,
  CONSTRAINT fk_matches_home FOREIGN KEY (home_team_id) REFERENCES football_teams (id),
  CONSTRAINT fk_matches_away FOREIGN KEY (away_team_id) REFERENCES football_teams (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE enrollments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tournament_id BIGINT NOT NULL,
  company_id BIGINT NOT NULL,
  starting_coins INT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  UNIQUE KEY uq_enrollments (tournament_id, company_id),
  KEY ix_enrollments_company (company_id),
  CONSTRAINT fk_enrollments_tournament FOREIGN KEY (tournament_id) REFERENCES tournaments (id) ON DELETE CASCADE,
  CONSTRAINT fk_enrollments_company FOREIGN KEY (company_id) REFERENCES companies (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE wallets (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  company_id BIGINT NOT NULL,
  tournament_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  balance BIGINT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uq_wallets_user (tournament_id, user_id),
  KEY ix_wallets_company (company_id, tournament_id),
  CONSTRAINT fk_wallets_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_wallets_tournament FOREIGN KEY (tournament_id) REFERENCES tournaments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ledger (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  wallet_id BIGINT NOT NULL,
  company_id BIGINT NOT NULL,
  tournament_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  kind VARCHAR(12) NOT NULL,
  amount BIGINT NOT NULL,
  bet_id BIGINT NULL,
  match_id BIGINT NULL,
  created_at DATETIME(3) NOT NULL,
  KEY ix_ledger_wallet (wallet_id, id),
  KEY ix_ledger_company_day (company_id, tournament_id, created_at),
  CONSTRAINT fk_ledger_wallet FOREIGN KEY (wallet_id) REFERENCES wallets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE bets (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  company_id BIGINT NOT NULL,
  tournament_id BIGINT NOT NULL,
  match_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  wallet_id BIGINT NOT NULL,
  pick VARCHAR(5) NOT NULL,
  stake BIGINT NOT NULL,
  odds INT NOT NULL,
  score_home INT NULL,
  score_away INT NULL,
  status VARCHAR(10) NOT NULL,
  payout BIGINT NOT NULL DEFAULT 0,
  bonus BIGINT NOT NULL DEFAULT 0,
  placed_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  settled_at DATETIME(3) NULL,
  UNIQUE KEY uq_bets_match_user (match_id, user_id),
  KEY ix_bets_match_company (match_id, company_id, status),
  KEY ix_bets_user (user_id, tournament_id, placed_at),
  CONSTRAINT fk_bets_match FOREIGN KEY (match_id) REFERENCES matches (id) ON DELETE CASCADE,
  CONSTRAINT fk_bets_wallet FOREIGN KEY (wallet_id) REFERENCES wallets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE idempotency_keys (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  idem_key VARCHAR(100) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  status_code INT NOT NULL DEFAULT 0,
  response MEDIUMTEXT NULL,
  created_at DATETIME(3) NOT NULL,
  UNIQUE KEY uq_idempotency (user_id, idem_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per wallet, kept exactly in step with the ledger by settlement, so
-- a leaderboard page is an index range scan. sort_key orders by score, then
-- correct picks, then exact scores, all descending, in one ascending column.
CREATE TABLE standings (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tournament_id BIGINT NOT NULL,
  company_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  score BIGINT NOT NULL,
  correct_picks INT NOT NULL DEFAULT 0,
  exact_scores INT NOT NULL DEFAULT 0,
  settled_bets INT NOT NULL DEFAULT 0,
  sort_key BIGINT AS (-(score * 4294967296 + correct_picks * 65536 + exact_scores)) STORED,
  UNIQUE KEY uq_standings_user (tournament_id, user_id),
  KEY ix_standings_rank (tournament_id, company_id, sort_key, user_id),
  CONSTRAINT fk_standings_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_standings_tournament FOREIGN KEY (tournament_id) REFERENCES tournaments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
