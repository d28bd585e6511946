// Shapes from docs/api-contract.md.
export type Role = 'operator' | 'admin' | 'hr' | 'employee';
export type Outcome = 'home' | 'draw' | 'away';

export interface PublicCompany {
  kind: 'company' | 'operator';
  slug?: string;
  name: string;
  primary_color: string;
  accent_color: string;
  logo_url: string | null;
  allow_team_choice?: boolean;
}
export interface User {
  id: number | string;
  email: string;
  display_name: string;
  role: Role;
  company_slug: string | null;
  team_id: number | null;
  team_name: string | null;
  avatar_url: string | null;
  active: boolean;
  created_at: string;
}
export interface AuthResponse {
  access_token: string;
  expires_in: number;
  user: User;
}
export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}
export interface Side {
  name: string;
  code: string;
  flag_url: string | null;
  tbd: boolean;
}
export interface Score {
  home: number;
  away: number;
}
export interface Bet {
  id: number;
  match_id: number;
  pick: Outcome;
  stake: number;
  odds: number;
  potential_payout: number;
  score: Score | null;
  status: 'open' | 'won' | 'lost' | 'refunded';
  payout: number;
  bonus: number;
  placed_at: string;
  updated_at: string;
}
export interface Match {
  id: number;
  tournament_id: number;
  stage: string;
  group: string | null;
  round: string | null;
  kickoff: string;
  home: Side;
  away: Side;
  venue: string | null;
  odds: { home: number; draw: number; away: number } | null;
  status: 'scheduled' | 'finished' | 'postponed' | 'cancelled';
  score: { ft: Score; et?: Score | null; p?: Score | null } | null;
  open: boolean;
  my_bet: Bet | null;
  distribution: { home: number; draw: number; away: number; total: number } | null;
}
export interface Tournament {
  id: number;
  name: string;
  starts_at: string;
  ends_at: string;
  starting_coins: number;
}
export interface MyBet extends Bet {
  match: Pick<Match, 'id' | 'kickoff' | 'home' | 'away' | 'status' | 'score'>;
}
export interface LedgerEntry {
  id: number;
  kind: 'grant' | 'stake' | 'refund' | 'payout' | 'bonus' | 'correction';
  amount: number;
  bet_id: number | null;
  match_id: number | null;
  created_at: string;
}
export interface Wallet extends Page<LedgerEntry> {
  balance: number;
  tournament_id: number;
}
export interface IndividualRow {
  rank: number;
  user_id: number;
  display_name: string;
  avatar_url: string | null;
  team_name: string | null;
  score: number;
  correct_picks: number;
  exact_scores: number;
  settled_bets: number;
}
export interface TeamRow {
  rank: number | null;
  team_id: number;
  name: string;
  score: number | null;
  bettors: number;
  members: number;
}
export interface CompanyRow {
  rank: number | null;
  slug: string;
  name: string;
  logo_url: string | null;
  score: number | null;
  participants: number;
}
export interface Leaderboard<T> extends Page<T> {
  me: T | null;
  min_participants?: number;
}
export interface Team {
  id: number;
  name: string;
  members: number;
}
