//! The adviser's agents, one per kind of advice, each on a real engine or on stored data.

pub mod build_optimization;
pub mod learning;
pub mod meta_analysis;
pub mod recommender;
pub mod squad_planner;
pub mod team_analysis;
