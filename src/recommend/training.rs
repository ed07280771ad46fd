//! A fit that runs step by step, so a caller (the async `Recommender.fitAsync`) can report
//! progress and stop between steps: ALS takes one step per sweep (`iterations` steps), every
//! other method one step in all. [`Recommender::fit`] is this run to the end.

use super::als::{self, Trainer};
use super::interactions::{interactions_from_dataset, InteractionColumns, Interactions};
use super::linalg::gram;
use super::model::{als_params, other_model, AutoChoice, Model, Recommender};
use super::options::{FitParams, Method, RecommenderOptions};
use crate::error::Result;
use crate::table::Dataset;
use crate::task::{Ctl, Work};

impl Recommender {
    /// Reads the interactions of `ds` and fits (see [`RecommenderOptions`]).
    pub fn fit_dataset(ds: &Dataset, opts: &RecommenderOptions) -> Result<Recommender> {
        Ok(Training::from_dataset(ds, opts)?.finish())
    }

    /// Fits on interactions already read.
    pub fn fit(data: Interactions, params: &FitParams) -> Result<Recommender> {
        Ok(Training::new(data, params)?.finish())
    }

    /// [`Recommender::fit`] as long work: progress `fit`, one unit per step (an ALS sweep).
    pub fn fit_async<'a>(data: Interactions, params: &'a FitParams, ctl: &'a mut Ctl<'_>) -> Work<'a, Recommender> {
        // Boxed: the sync and async callers share one copy of the state machine in wasm.
        Box::pin(Self::fit_async_inner(data, params, ctl))
    }

    async fn fit_async_inner(data: Interactions, params: &FitParams, ctl: &mut Ctl<'_>) -> Result<Recommender> {
        let mut t = Training::new(data, params)?;
        while !t.done() {
            ctl.tick("fit", t.iteration() as u64, t.iterations() as u64).await?;
            t.step();
        }
        Ok(t.finish())
    }
}

/// A fit in progress.
#[derive(Debug, Clone)]
pub struct Training {
    data: Interactions,
    params: FitParams,
    method: Method,
    auto: Option<AutoChoice>,
    als: Option<Trainer>,
    /// The model of a one-step method, once stepped.
    model: Option<Model>,
}

impl Training {
    /// Checks the parameters, resolves `auto` (its evaluation runs here, in one go) and sets
    /// up the chosen method.
    pub fn new(data: Interactions, params: &FitParams) -> Result<Training> {
        params.check()?;
        let (method, auto) = match params.method {
            Method::Auto => {
                let choice = super::evaluate::choose(&data, params)?;
                (choice.chosen, Some(choice))
            }
            m => (m, None),
        };
        let als = (method == Method::Als).then(|| Trainer::new(&data.matrix, &als_params(params)));
        Ok(Training { data, params: *params, method, auto, als, model: None })
    }

    /// Reads the interactions of `ds` (see [`RecommenderOptions`]) and sets up their fit.
    pub fn from_dataset(ds: &Dataset, opts: &RecommenderOptions) -> Result<Training> {
        let params = opts.params()?;
        let cols = InteractionColumns {
            user: &opts.user,
            item: &opts.item,
            weight: opts.weight.as_deref(),
            timestamp: opts.timestamp.as_deref(),
        };
        Training::new(interactions_from_dataset(ds, &cols)?, &params)
    }

    /// The method being fitted (`auto` resolved).
    pub fn method(&self) -> Method {
        self.method
    }

    /// Steps in all: the ALS iterations, or 1.
    pub fn iterations(&self) -> usize {
        if self.als.is_some() {
            self.params.iterations
        } else {
            1
        }
    }

    /// Steps done.
    pub fn iteration(&self) -> usize {
        match &self.als {
            Some(t) => t.iteration(),
            None => self.model.is_some() as usize,
        }
    }

    pub fn done(&self) -> bool {
        self.iteration() >= self.iterations()
    }

    /// One step (nothing once done).
    pub fn step(&mut self) {
        if self.done() {
            return;
        }
        match &mut self.als {
            Some(t) => t.step(&self.data.matrix),
            None => self.model = Some(other_model(&self.data, self.method, &self.params)),
        }
    }

    /// The fitted recommender (running any steps left).
    pub fn finish(mut self) -> Recommender {
        while !self.done() {
            self.step();
        }
        let model = match (self.als, self.model) {
            (Some(t), _) => {
                let factors: als::Factors = t.finish();
                let yty = gram(&factors.items, factors.factors);
                Model::Als { factors, yty }
            }
            (None, Some(m)) => m,
            (None, None) => unreachable!("done() means a one-step method has its model"),
        };
        Recommender::assemble(self.data, self.params, self.method, self.auto, model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommend::InteractionBuilder;

    fn data() -> Interactions {
        let mut b = InteractionBuilder::new();
        for u in 0..12u32 {
            for i in 0..8u32 {
                if (u * 3 + i * 5) % 4 != 0 {
                    b.push(Some(&format!("u{u}")), Some(&format!("i{}", (u % 2) * 8 + i)), 1.0, f64::NAN);
                }
            }
        }
        b.finish().unwrap()
    }

    /// Stepping to the end gives exactly `Recommender::fit`; one-step methods take one step.
    #[test]
    fn stepwise_equals_fit() {
        let p = FitParams { method: Method::Als, factors: 4, iterations: 5, seed: 7, ..FitParams::default() };
        let mut t = Training::new(data(), &p).unwrap();
        assert_eq!((t.iteration(), t.iterations()), (0, 5));
        let mut seen = Vec::new();
        while !t.done() {
            t.step();
            seen.push(t.iteration());
        }
        assert_eq!(seen, vec![1, 2, 3, 4, 5]);
        let stepped = t.finish();
        let direct = Recommender::fit(data(), &p).unwrap();
        assert_eq!(stepped.model, direct.model);
        let k = Training::new(data(), &FitParams { method: Method::ItemKnn, ..p }).unwrap();
        assert_eq!(k.iterations(), 1);
        assert_eq!(k.finish().method, Method::ItemKnn);
    }
}
