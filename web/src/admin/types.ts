export interface CompanySettings {
  slug: string;
  name: string;
  primary_color: string;
  accent_color: string;
  logo_url: string | null;
  allowed_domains: string[];
  starting_coins: number;
  in_company_ranking: boolean;
  allow_team_choice: boolean;
  exact_score_bonus_pct: number;
}
export interface Invite {
  id: number;
  token: string;
  url: string;
  max_uses: number | null;
  uses: number;
  expires_at: string;
  role: 'employee' | 'hr' | 'admin';
  created_at: string;
}
