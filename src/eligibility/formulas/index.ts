/** Programme key → formula (one module per theme, like OpenFisca's variables/). */
import type { Formula } from './common.js';
import { apprenticeshipSubsidy, evaluationSubsidy, hiringSubsidy, preJobTrainingSubsidy, socialInsuranceSubsidy } from './employer.js';
import { enlistmentLivingSubsidy, internshipTrainee, jobseekingSubsidy, startupTrainingSubsidy, tuitionCompensation } from './graduates.js';
import { internshipSubsidy, remainingPeriodInternshipSubsidy } from './internship.js';
import {
  counterGuaranteeWaiver,
  selfPaidOrganized,
  selfPaidPartnership,
  selfPaidPersonal,
  selfPaidSmallBusiness,
  startupLoanOrganized,
  startupLoanPartnership,
  startupLoanPersonal,
  startupLoanSmallBusiness,
} from './loans.js';
import {
  livingAllowanceTraining,
  oneTimeHiringSubsidyPoverty,
  ruralPublicWelfarePost,
  startupOpeningSubsidy,
  transportAccommodationSubsidy,
  workForTrainingSubsidy,
  yuluShortTraining,
  yuluVocational,
} from './poverty-support.js';
import { transportSubsidy, workIncentive } from './poverty-work.js';

export const FORMULAS: Record<string, Formula> = {
  jobseeking_subsidy: jobseekingSubsidy,
  internship_trainee: internshipTrainee,
  internship_subsidy: internshipSubsidy,
  remaining_period_internship_subsidy: remainingPeriodInternshipSubsidy,
  startup_training_subsidy: startupTrainingSubsidy,
  enlistment_living_subsidy: enlistmentLivingSubsidy,
  tuition_compensation: tuitionCompensation,
  startup_loan_personal: startupLoanPersonal,
  startup_loan_partnership: startupLoanPartnership,
  startup_loan_organized: startupLoanOrganized,
  startup_loan_small_business: startupLoanSmallBusiness,
  startup_loan_self_paid_personal: selfPaidPersonal,
  startup_loan_self_paid_partnership: selfPaidPartnership,
  startup_loan_self_paid_organized: selfPaidOrganized,
  startup_loan_self_paid_small_business: selfPaidSmallBusiness,
  counter_guarantee_waiver: counterGuaranteeWaiver,
  work_incentive: workIncentive,
  transport_subsidy: transportSubsidy,
  startup_opening_subsidy: startupOpeningSubsidy,
  living_allowance_training: livingAllowanceTraining,
  transport_accommodation_subsidy: transportAccommodationSubsidy,
  yulu_vocational: yuluVocational,
  yulu_short_training: yuluShortTraining,
  rural_public_welfare_post: ruralPublicWelfarePost,
  hiring_subsidy: hiringSubsidy,
  social_insurance_subsidy: socialInsuranceSubsidy,
  pre_job_training_subsidy: preJobTrainingSubsidy,
  apprenticeship_subsidy: apprenticeshipSubsidy,
  evaluation_subsidy: evaluationSubsidy,
  work_for_training_subsidy: workForTrainingSubsidy,
  one_time_hiring_subsidy_poverty: oneTimeHiringSubsidyPoverty,
};
