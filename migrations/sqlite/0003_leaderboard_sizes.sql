-- How many members each company's leaderboard has in a tournament, kept in
-- step with standings when a wallet is created, so a leaderboard page does
-- not count 100,000 rows to print its total.
CREATE TABLE leaderboard_sizes (
  tournament_id INTEGER NOT NULL,
  company_id INTEGER NOT NULL,
  members INTEGER NOT NULL,
  PRIMARY KEY (tournament_id, company_id)
);

INSERT INTO leaderboard_sizes (tournament_id, company_id, members)
SELECT tournament_id, company_id, COUNT(*) FROM standings GROUP BY tournament_id, company_id;
